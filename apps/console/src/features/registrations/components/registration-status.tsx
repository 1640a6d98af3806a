import type { TRegistrationStatus } from '@reg/contracts/console-api';

export const STATUS_LABELS: Record<TRegistrationStatus, string> = {
  reporting: 'Reporting',
  'not-reporting': 'Not reporting',
  'never-contacted': 'Never contacted',
};

export function RegistrationStatus({ status }: { status: TRegistrationStatus }) {
  return <span className={`badge badge-${status}`}>{STATUS_LABELS[status]}</span>;
}
