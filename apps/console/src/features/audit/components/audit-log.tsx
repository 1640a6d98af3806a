import type { TAuditEvent } from '@reg/contracts/audit-api';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { timeColumn } from '../../../components/ui/relative-time.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { WrapAtParts } from '../../../components/ui/wrap-at-parts.tsx';
import { useAuditEvents } from '../api/get-audit-events.ts';
import { AuditFiltersBar, useAuditFilters } from './audit-filters.tsx';
import { actionText, detailsText } from './audit-words.ts';

/** Admins go by their email; anything else says what it is after its name. */
const ACTOR_KINDS: Record<Exclude<TAuditEvent['actor']['type'], 'admin'>, string> = {
  product: 'product',
  'api-client': 'API client',
  operator: 'operator',
  system: 'system',
};

const COLUMNS: Column<TAuditEvent>[] = [
  timeColumn('when', 'When', (event) => event.at, 'date-time'),
  {
    id: 'who',
    header: 'Who',
    className: 'wrap cell-address',
    cell: (event) => (
      <>
        <WrapAtParts text={event.actor.label} />
        {event.actor.type !== 'admin' && <span className="muted"> ({ACTOR_KINDS[event.actor.type]})</span>}
      </>
    ),
  },
  { id: 'action', header: 'Action', cell: actionText },
  {
    id: 'target',
    header: 'Target',
    className: 'wrap cell-address',
    cell: (event) => <WrapAtParts text={event.target.label} />,
  },
  { id: 'details', header: 'Details', className: 'wrap muted small', cell: detailsText },
];

export function AuditLog() {
  const { filters, setFilter } = useAuditFilters();
  const filtered = filters.action !== '' || filters.from !== '' || filters.to !== '';
  const events = useAuditEvents(filters);
  return (
    <>
      <div className="toolbar">
        <AuditFiltersBar filters={filters} onChange={setFilter} />
        <DownloadCsvLink path="/api/console/audit-events.csv" query={{ ...filters }} />
      </div>
      <DataTable
        caption="Audit events, newest first"
        columns={COLUMNS}
        rows={events.data?.pages.flatMap((page) => page.items) ?? []}
        rowKey={(event) => event.id}
        query={events}
        loadingLabel="Loading the audit log…"
        errorTitle="The audit log could not be loaded."
        empty={
          filtered ? (
            <p className="muted">No events match the filters.</p>
          ) : (
            <EmptyState title="Nothing recorded yet">
              <p>Sign-ins, registrations, removals and deleted usage data are recorded here.</p>
            </EmptyState>
          )
        }
      />
    </>
  );
}
