import type { TLicenseServer } from '@reg/contracts/usage-api';

const LABELS = {
  reporting: 'Reporting',
  'not-reporting': 'Not reporting',
  'never-contacted': 'Never contacted',
} as const;

export function RegistrationState({ registration }: { registration: TLicenseServer['registration'] }) {
  if (!registration) return <span className="badge badge-unregistered">Not registered</span>;
  return <span className={`badge badge-${registration.status}`}>{LABELS[registration.status]}</span>;
}
