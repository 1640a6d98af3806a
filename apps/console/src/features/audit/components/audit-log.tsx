import type { TAuditEvent } from '@reg/contracts/audit-api';
import { EmptyState, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAuditEvents } from '../api/get-audit-events.ts';
import { actionText, detailsText } from './audit-words.ts';
import { LoadMore } from '../../../components/ui/load-more.tsx';

/** Admins go by their email; anything else says what it is after its name. */
const ACTOR_KINDS: Record<Exclude<TAuditEvent['actor']['type'], 'admin'>, string> = {
  product: 'product',
  'api-client': 'API client',
  operator: 'operator',
  system: 'system',
};

export function AuditLog() {
  const events = useAuditEvents();
  const items = events.data?.pages.flatMap((page) => page.items) ?? [];

  if (events.isPending) return <Loading label="Loading the audit log…" />;
  if (events.isError && items.length === 0)
    return (
      <ErrorState
        title="The audit log could not be loaded."
        error={events.error}
        onRetry={() => void events.refetch()}
      />
    );
  if (items.length === 0)
    return (
      <EmptyState title="Nothing recorded yet">
        <p>Sign-ins, registrations, removals and deleted usage data are recorded here.</p>
      </EmptyState>
    );

  return (
    <>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">Audit events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {items.map((event) => (
              <tr key={event.id}>
                <td className="nowrap">
                  <time dateTime={event.at}>{formatDateTime(event.at)}</time>
                </td>
                <td className="wrap">
                  {event.actor.label}
                  {event.actor.type !== 'admin' && <span className="muted"> ({ACTOR_KINDS[event.actor.type]})</span>}
                </td>
                <td>{actionText(event)}</td>
                <td className="wrap">{event.target.label}</td>
                <td className="wrap muted small">{detailsText(event)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <LoadMore query={events} />
    </>
  );
}
