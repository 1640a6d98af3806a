import type { TEntitlement, TEntitlementState } from '@reg/contracts/entitlements-api';
import { plural } from '../../../lib/format.ts';

/** A state's word, and its icon: the colour is never the only sign. */
const STATES: Record<TEntitlementState, { word: string; icon: string }> = {
  expired: { word: 'Expired', icon: '✕' },
  insufficient: { word: 'Insufficient', icon: '!' },
  expiring: { word: 'Expiring', icon: '⏱' },
  ok: { word: 'OK', icon: '✓' },
};

/** "Expired", "Insufficient · 2 servers short", "Expiring in 12 days" or "OK", coloured with an icon. */
export function EntitlementStateBadge({ item }: { item: TEntitlement }) {
  const { word, icon } = STATES[item.state];
  const more =
    item.state === 'expiring' && item.daysLeft !== null
      ? ` in ${plural(item.daysLeft, 'day', 'days')}`
      : item.state === 'insufficient'
        ? ` · ${plural(item.insufficientServers, 'server', 'servers')} short`
        : '';
  return (
    <span className={`badge entitlement-${item.state}`}>
      <span aria-hidden="true" className="badge-icon">
        {icon}
      </span>{' '}
      {word}
      {more}
    </span>
  );
}

/**
 * The Customer Success Services cell: the date, and in words when it is not ok. Days are
 * shown as the API gives them (UTC days): a local date format could show the day before.
 */
export function MaintenanceCell({ item, asOf }: { item: TEntitlement; asOf: string }) {
  if (!item.maintenanceEndsAt)
    return (
      <span className="muted" title="None known">
        None
      </span>
    );
  const date = item.maintenanceEndsAt;
  if (item.maintenanceState === 'ended')
    return (
      <span>
        {date} <span className="badge entitlement-expired">Ended</span>
      </span>
    );
  if (item.maintenanceState === 'ending') {
    const days = daysBetween(asOf, item.maintenanceEndsAt);
    return (
      <span>
        {date} <span className="badge entitlement-expiring">Ends in {plural(days, 'day', 'days')}</span>
      </span>
    );
  }
  return <span>{date}</span>;
}

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
