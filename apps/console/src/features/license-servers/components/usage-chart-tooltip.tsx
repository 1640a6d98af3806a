import type uPlot from 'uplot';
import { formatNumber } from '../../../lib/format.ts';
import { colorOf, seriesLabel, type TSeries } from './usage-chart-options.ts';

const longDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

export interface THover {
  index: number;
  left: number;
  top: number;
  width: number;
}

const count = (value: number | null | undefined) => (typeof value === 'number' ? formatNumber(value) : '–');

/** The hovered day's numbers per series, right of the cursor (left of it near the right edge). */
export function UsageChartTooltip({
  hover,
  day,
  series,
  data,
}: {
  hover: THover;
  day: string;
  series: TSeries[];
  data: uPlot.AlignedData;
}) {
  const flip = hover.left > hover.width - 280;
  return (
    <div
      className="usage-chart-tooltip"
      style={{
        top: hover.top + 8,
        left: flip ? undefined : hover.left + 14,
        right: flip ? hover.width - hover.left + 14 : undefined,
      }}
    >
      <div className="usage-chart-tooltip-day">{longDayFormat.format(new Date(`${day}T00:00:00Z`))}</div>
      <table>
        <thead>
          <tr>
            <th />
            <th>Installed</th>
            <th>In use</th>
          </tr>
        </thead>
        <tbody>
          {series.map((s, index) => (
            <tr key={`${s.productCode}/${s.edition}/${s.licenseModel}`}>
              <th>
                <span className="usage-chart-swatch" style={{ background: colorOf(index) }} />
                {seriesLabel(s)}
              </th>
              <td>{count(data[1 + index * 2]?.[hover.index])}</td>
              <td>{count(data[2 + index * 2]?.[hover.index])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
