import type { TNotificationChannel, TNotificationDelivery } from '@reg/contracts/notifications-api';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { RelativeTime, timeColumn } from '../../../components/ui/relative-time.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { useDeliveries } from '../api/get-deliveries.ts';
import { useMutes } from '../api/mutes.ts';
import { destinationOf, eventWords } from './event-words.ts';

/** Which maintenance window muted a delivery, in words (a deleted window is no longer listed). */
function MutedBy({ muteId }: { muteId: string }) {
  const mute = useMutes().data?.items.find((m) => m.id === muteId);
  return <>Not sent: muted by {mute ? `maintenance window ${mute.reason}` : 'a maintenance window since deleted'}</>;
}

const columns: Column<TNotificationDelivery>[] = [
  timeColumn('at', 'When', (delivery) => delivery.at, 'date-time'),
  { id: 'event', header: 'Event', cell: (delivery) => eventWords(delivery.type) },
  { id: 'attempt', header: 'Attempt', cell: (delivery) => delivery.attempt },
  { id: 'status', header: 'Status', className: 'nowrap', cell: (delivery) => <StatusBadge status={delivery.status} /> },
  {
    id: 'answer',
    header: 'Answer',
    className: 'wrap',
    cell: (delivery) => (
      <>
        {/* A failed answer's error already names its status ("HTTP 500"). */}
        {delivery.muteId ? (
          <MutedBy muteId={delivery.muteId} />
        ) : (
          delivery.error || (delivery.responseStatus && `HTTP ${delivery.responseStatus}`) || '—'
        )}
        {delivery.nextAttemptAt && (
          <div className="muted small">
            Next attempt <RelativeTime value={delivery.nextAttemptAt} format="date-time" />
          </div>
        )}
      </>
    ),
  },
];

/** The recent delivery log of one channel: one row per attempt, newest first. */
export function DeliveriesDialog({ channel, onClose }: { channel: TNotificationChannel | null; onClose: () => void }) {
  const deliveries = useDeliveries(channel?.id ?? null);
  const destination = channel ? destinationOf(channel) : '';

  return (
    <Dialog open={channel !== null} onOpenChange={(open) => !open && onClose()} title="Deliveries">
      <p className="muted small wrap">To {destination}, newest first, one row per attempt.</p>
      <DataTable
        caption={`Deliveries to ${destination}`}
        columns={columns}
        rows={deliveries.data?.items ?? []}
        rowKey={(delivery) => delivery.id}
        query={deliveries}
        loadingLabel="Loading deliveries…"
        errorTitle="The deliveries could not be loaded."
        empty={
          <EmptyState title="Nothing sent yet">
            <p>
              Use <strong>Send test</strong> to try this channel.
            </p>
          </EmptyState>
        }
      />
    </Dialog>
  );
}
