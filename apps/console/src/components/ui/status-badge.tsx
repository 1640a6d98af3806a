import type { TRegistrationStatus } from '@reg/contracts/console-api';
import type { TDeliveryStatus } from '@reg/contracts/notifications-api';

/** Every status the console shows as a badge, with its words: the one place they are written. */
export const STATUS_LABELS = {
  reporting: 'Reporting',
  'not-reporting': 'Not reporting',
  'never-contacted': 'Never contacted',
  unregistered: 'Not registered',
  pending: 'Pending',
  delivered: 'Delivered',
  failed: 'Failed',
  'pending-approval': 'Pending approval',
} as const satisfies Record<TRegistrationStatus | 'unregistered' | TDeliveryStatus, string>;

type TBadgeStatus = keyof typeof STATUS_LABELS;

/** A status in words (never by colour alone); the colour comes from the badge-<status> class. */
export function StatusBadge({ status }: { status: TBadgeStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}
