import type { TMute } from '@reg/contracts/mutes-api';
import { useState } from 'react';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { MutationConfirmDialog } from '../../../components/ui/mutation-confirm-dialog.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useDeleteMute, useMutes } from '../api/mutes.ts';
import { AddMuteDialog } from './add-mute-dialog.tsx';

/** "Active", "Scheduled" or "Ended", in words. */
function muteState(mute: TMute, now = Date.now()): 'Active' | 'Scheduled' | 'Ended' {
  if (mute.active) return 'Active';
  return Date.parse(mute.from) > now ? 'Scheduled' : 'Ended';
}

const columns = (canChange: boolean, onDelete: (mute: TMute) => void): Column<TMute>[] => [
  { id: 'servers', header: 'Servers', rowHeader: true, cell: (m) => m.serverName ?? 'All servers' },
  { id: 'from', header: 'From', className: 'nowrap', cell: (m) => formatDateTime(m.from) },
  { id: 'to', header: 'To', className: 'nowrap', cell: (m) => formatDateTime(m.to) },
  { id: 'reason', header: 'Reason', className: 'wrap', cell: (m) => m.reason },
  { id: 'state', header: 'State', className: 'nowrap', cell: (m) => muteState(m) },
  ...(canChange
    ? [
        {
          id: 'actions',
          header: 'Actions',
          hideHeader: true,
          className: 'cell-actions',
          cell: (m: TMute) => (
            <button
              type="button"
              className="button"
              aria-label={`Delete maintenance window ${m.reason}`}
              onClick={() => onDelete(m)}
            >
              Delete
            </button>
          ),
        },
      ]
    : []),
];

/**
 * Maintenance windows: while one is on, the events of its servers are kept in the deliveries
 * log as muted and never sent. Read-only admins see them without the buttons.
 */
export function MaintenanceWindows({ canChange, onMessage }: { canChange: boolean; onMessage: (m: string) => void }) {
  const mutes = useMutes();
  const remove = useDeleteMute();
  const [addOpen, setAddOpen] = useState(false);
  const [deleting, setDeleting] = useState<TMute | null>(null);
  return (
    <section className="mutes" aria-labelledby="maintenance-windows">
      <div className="page-header">
        <h2 id="maintenance-windows">Maintenance windows</h2>
        {canChange && (
          <button type="button" className="button" onClick={() => setAddOpen(true)}>
            Add maintenance window
          </button>
        )}
      </div>
      <p className="muted">
        During a window, notifications about its servers are not sent: they show in the deliveries log as muted, and are
        not sent later either. Test notifications and audit events are never muted.
      </p>
      <DataTable
        caption="Maintenance windows"
        columns={columns(canChange, setDeleting)}
        rows={mutes.data?.items ?? []}
        rowKey={(m) => m.id}
        query={mutes}
        loadingLabel="Loading maintenance windows…"
        errorTitle="The maintenance windows could not be loaded."
        empty={<EmptyState title="No maintenance windows">Add one before planned work on a License Server.</EmptyState>}
      />
      <AddMuteDialog open={addOpen} onOpenChange={setAddOpen} onDone={onMessage} />
      <MutationConfirmDialog
        target={deleting}
        mutation={remove}
        variables={(mute) => mute.id}
        title={(mute) => `Delete maintenance window ${mute.reason}?`}
        description="Notifications are sent again from now on. Those it muted stay muted."
        confirmLabel="Delete"
        pendingLabel="Deleting…"
        failure="Could not delete the window"
        onClose={() => setDeleting(null)}
        onDone={(mute) => {
          setDeleting(null);
          onMessage(`Maintenance window ${mute.reason} deleted.`);
        }}
      />
    </section>
  );
}
