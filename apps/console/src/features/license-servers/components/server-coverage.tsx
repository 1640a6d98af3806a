import type { TCoverageDay } from '@reg/contracts/usage-api';
import { formatNumber } from '../../../lib/format.ts';

const nOfM = (day: TCoverageDay) => `${formatNumber(day.reported)} of ${formatNumber(day.registered)}`;

/**
 * The latest full day's "Servers reporting" figure: today is still going, so yesterday is the
 * last day whose count can be complete (or today when the range holds no other day).
 */
export function LatestCoverage({ coverage }: { coverage: TCoverageDay[] }) {
  const day = coverage.length > 1 ? coverage[coverage.length - 2] : coverage[0];
  if (!day) return null;
  return (
    <dl className="server-counts" aria-label="Servers reporting on the latest full day">
      <div className="server-count">
        <dt>
          Servers reporting (<time dateTime={day.day}>{day.day}</time>)
        </dt>
        <dd>{nOfM(day)}</dd>
      </div>
    </dl>
  );
}

/** Per day, how many of the registered servers reported: a missing report shows as fewer, never as zero use. */
export function CoverageTable({ coverage }: { coverage: TCoverageDay[] }) {
  if (!coverage.length) return null;
  const days = [...coverage].reverse();
  return (
    <div className="table-wrap table-scroll" tabIndex={0} role="region" aria-label="Servers reporting per day">
      <table className="table table-compact">
        <caption className="visually-hidden">Servers reporting per day, of the servers registered that day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col" className="num">
              Servers reporting
            </th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day} className={day.reported < day.registered ? 'coverage-short' : undefined}>
              <td>
                <time dateTime={day.day}>{day.day}</time>
              </td>
              <td className="num">{nOfM(day)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
