import type { TAuditEvent } from '@reg/contracts/audit-api';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { EmptyState, ErrorState, Loading } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useAuditEvents, type AuditFilters } from '../api/get-audit-events.ts';
import { AuditFiltersBar, useAuditFilters } from './audit-filters.tsx';
import { actionText, detailsText } from './audit-words.ts';
import { LoadMore } from '../../../components/ui/load-more.tsx';

/** Admins go by their email; anything else says what it is after its name. */
const ACTOR_KINDS: Record<Exclude<TAuditEvent['actor']['type'], 'admin'>, string> = {
  product: 'product',
  'api-client': 'API client',
};

export function AuditLog() {
  const { filters, setFilter } = useAuditFilters();
  const filtered = filters.action !== '' || filters.from !== '' || filters.to !== '';
  return (
    <>
      <div className="toolbar">
        <AuditFiltersBar filters={filters} onChange={setFilter} />
        <DownloadCsvLink path="/api/console/audit-events.csv" query={{ ...filters }} />
      </div>
      <AuditEvents filters={filters} filtered={filtered} />
    </>
  );
}

function AuditEvents({ filters, filtered }: { filters: AuditFilters; filtered: boolean }) {
  const events = useAuditEvents(filters);
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
    return filtered ? (
      <p className="muted">No events match the filters.</p>
    ) : (
      <EmptyState title="Nothing recorded yet">
        <p>Sign-ins, registrations, removals and deleted usage data are recorded here.</p>
      </EmptyState>
    );

  return (
    <>
      <div className="table-wrap">
        <table className="table" aria-busy={events.isFetching || undefined}>
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
