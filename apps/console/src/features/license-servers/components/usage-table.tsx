import type { TUsageSeries } from '@reg/contracts/usage-api';
import { formatNumber } from '../../../lib/format.ts';

const MODEL_LABELS: Record<TUsageSeries['series'][number]['licenseModel'], string> = {
  'user-device': 'User/device',
  concurrent: 'Concurrent',
};

/** The chart's data as a table: what screen readers and keyboard users read. */
export function UsageTable({ data }: { data: Pick<TUsageSeries, 'series' | 'granularity'> }) {
  const period = data.granularity === 'month' ? 'month' : 'day';
  const rows = data.series
    .flatMap((series) => series.points.map((point) => ({ series, point })))
    .sort(
      (a, b) =>
        b.point.day.localeCompare(a.point.day) ||
        a.series.productCode.localeCompare(b.series.productCode) ||
        a.series.edition.localeCompare(b.series.edition) ||
        a.series.licenseModel.localeCompare(b.series.licenseModel),
    );
  return (
    <div className="table-wrap table-scroll" tabIndex={0} role="region" aria-label={`Usage per ${period}`}>
      <table className="table table-compact">
        <caption className="visually-hidden">
          Installed and in use per product, edition and license model, per {period}
        </caption>
        <thead>
          <tr>
            <th scope="col">{period === 'month' ? 'Month' : 'Day'}</th>
            <th scope="col">Product</th>
            <th scope="col">Edition</th>
            <th scope="col">License model</th>
            <th scope="col" className="num">
              Installed
            </th>
            <th scope="col" className="num">
              In use
            </th>
            <th scope="col" className="num">
              Peak in use
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(({ series, point }) => (
            <tr key={`${point.day}/${series.productCode}/${series.edition}/${series.licenseModel}`}>
              <td>
                <time dateTime={point.day}>{period === 'month' ? point.day.slice(0, 7) : point.day}</time>
                {point.late && (
                  <span className="usage-late" title="Reported more than 24 hours after the day ended">
                    {' '}
                    Late
                  </span>
                )}
              </td>
              <td className="wrap">{series.productCode}</td>
              <td className="wrap">{series.edition}</td>
              <td>{MODEL_LABELS[series.licenseModel]}</td>
              {point.installed === null || point.inUse === null || point.peakInUse === null ? (
                // No report is not zero use: said in words, never as 0.
                <td className="num usage-no-report" colSpan={3}>
                  No report
                </td>
              ) : (
                <>
                  <td className="num">{formatNumber(point.installed)}</td>
                  <td className="num">{formatNumber(point.inUse)}</td>
                  <td className="num">{formatNumber(point.peakInUse)}</td>
                </>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
