import type { TLicenseServer } from '@reg/contracts/usage-api';
import { formatNumber } from '../../../lib/format.ts';

/** The last reported period, per product and edition: "in use of installed". */
export function LatestUsage({ latest }: { latest: TLicenseServer['latest'] }) {
  if (latest.length === 0) return <span className="muted">No data</span>;
  return (
    <ul className="plain-list">
      {latest.map((usage) => (
        <li key={`${usage.productCode}/${usage.edition}/${usage.licenseModel}`}>
          <span className="wrap">
            {usage.productCode} {usage.edition} ({usage.licenseModel === 'concurrent' ? 'concurrent' : 'user/device'})
          </span>
          : <strong>{formatNumber(usage.inUse)}</strong> in use of {formatNumber(usage.installed)} installed
        </li>
      ))}
    </ul>
  );
}
