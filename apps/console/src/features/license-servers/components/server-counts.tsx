import type { TUsageOverview } from '@reg/contracts/usage-api';
import { formatNumber } from '../../../lib/format.ts';

/** The customer's license servers by the state of their registration. */
export function ServerCounts({ servers }: { servers: TUsageOverview['servers'] }) {
  const figures = [
    ['License servers', servers.total],
    ['Reporting', servers.reporting],
    ['Not reporting', servers.notReporting],
    ['Never contacted', servers.neverContacted],
  ] as const;
  return (
    <dl className="server-counts" aria-label="License servers by state">
      {figures.map(([label, value]) => (
        <div key={label} className="server-count">
          <dt>{label}</dt>
          <dd>{formatNumber(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
