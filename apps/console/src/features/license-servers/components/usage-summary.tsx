import type { TUsageSummaryItem } from '@reg/contracts/usage-api';
import { formatNumber } from '../../../lib/format.ts';
import { seriesLabel } from './usage-labels.ts';

/** Amber from 80%, red above 100% (overdraft, said in words too: never by colour alone). */
function utilizationLevel(item: TUsageSummaryItem) {
  if (item.overdraft || (item.utilization ?? 0) > 1) return 'over';
  return (item.utilization ?? 0) >= 0.8 ? 'high' : 'normal';
}

const percent = (utilization: number | null) =>
  utilization === null ? '–' : `${formatNumber(Math.round(utilization * 100))}%`;

/** Per product key: installed, in use, the peaks and utilization with a bar. */
export function UsageSummary({ items }: { items: TUsageSummaryItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="usage-summary" aria-label="Summary per product">
      {items.map((item) => {
        const level = utilizationLevel(item);
        const label = seriesLabel(item);
        return (
          <li
            key={`${item.productCode}/${item.edition}/${item.licenseModel}`}
            className={`usage-card usage-card-${level}`}
          >
            <h3 className="usage-card-title wrap">{label}</h3>
            <dl className="usage-card-figures">
              <div>
                <dt>Installed</dt>
                <dd>{formatNumber(item.installed)}</dd>
              </div>
              <div>
                <dt>In use</dt>
                <dd>{formatNumber(item.inUse)}</dd>
              </div>
              <div>
                <dt>Peak in range</dt>
                <dd>
                  {formatNumber(item.peakInUse)} <span className="muted small">({item.peakDay})</span>
                </dd>
              </div>
              <div>
                <dt>Peak this month</dt>
                <dd>{item.peakThisMonth === null ? '–' : formatNumber(item.peakThisMonth)}</dd>
              </div>
            </dl>
            <div className="usage-utilization">
              <span>
                Utilization <strong>{percent(item.utilization)}</strong>
                {level === 'over' ? <strong className="overdraft-word"> Overdraft</strong> : null}
              </span>
              <div className="usage-bar" aria-hidden="true">
                <div
                  className="usage-bar-fill"
                  style={{ width: `${Math.min(100, Math.round((item.utilization ?? 0) * 100))}%` }}
                />
              </div>
            </div>
          </li>
        );
      })}
    </ul>
  );
}
