import type { TAuditEvent } from '@reg/contracts/audit-api';
import { formatDateTime, plural } from '../../../lib/format.ts';

const REMOVAL_REASONS: Record<string, string> = {
  admin: 'by an admin',
  product: 'by the product itself',
  replaced: 'replaced by a new registration of the same server',
};

const str = (value: unknown) => (typeof value === 'string' ? value : null);
const num = (value: unknown) => (typeof value === 'number' ? value : null);

/** The action in words, with what matters most from its details. */
export function actionText(event: TAuditEvent): string {
  const { details } = event;
  switch (event.action) {
    case 'session.signed_in':
      return 'Signed in';
    case 'registration.created':
      return 'Registered';
    case 'registration.denied':
      return 'Denied';
    case 'registration.removed': {
      const reason = str(details.reason);
      return reason ? `Removed registration (${REMOVAL_REASONS[reason] ?? reason})` : 'Removed registration';
    }
    case 'usage.deleted': {
      const count = num(details.deletedRecords) ?? num(details.count) ?? num(details.deleted);
      return count === null ? 'Deleted usage data' : `Deleted usage data (${plural(count, 'record', 'records')})`;
    }
    default:
      return event.action;
  }
}

const SHOWN_IN_ACTION = new Set(['reason', 'deletedRecords', 'count', 'deleted']);
const DETAIL_LABELS: Record<string, string> = {
  codeRequestedAt: 'requested at',
  codeRequestedFrom: 'requested from',
  hostname: 'host',
  instanceId: 'instance',
  sourceAddress: 'from',
};

/** The other details, compact: "requested from 10.0.0.1 · host ls-01". */
export function detailsText(event: TAuditEvent): string {
  return Object.entries(event.details)
    .filter(([key, value]) => !SHOWN_IN_ACTION.has(key) && value !== null && value !== undefined && value !== '')
    .map(([key, value]) => {
      const label = DETAIL_LABELS[key] ?? key;
      if (key.endsWith('At') && typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
        return `${label} ${formatDateTime(value)}`;
      }
      return `${label} ${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join(' · ');
}
