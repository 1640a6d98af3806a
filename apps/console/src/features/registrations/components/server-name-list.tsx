import type { TRegistration } from '@reg/contracts/console-api';

/** In a bulk action's confirmation: every server it acts on, by name, in a list named for the action. */
export function ServerNameList({ label, registrations }: { label: string; registrations: readonly TRegistration[] }) {
  return (
    <ul className="dialog-list" aria-label={label}>
      {registrations.map((registration) => (
        <li key={registration.id} className="wrap">
          {registration.serverName}
        </li>
      ))}
    </ul>
  );
}
