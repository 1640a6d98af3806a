import type { TNotificationChannel } from '@reg/contracts/notifications-api';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { EmptyState, ListStates } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { useDeliveries } from '../api/get-deliveries.ts';
import { eventWords, STATUS_WORDS } from './event-words.ts';

/** The recent delivery log of one channel: one row per attempt, newest first. */
export function DeliveriesDialog({ channel, onClose }: { channel: TNotificationChannel | null; onClose: () => void }) {
  const deliveries = useDeliveries(channel?.id ?? null);
  const items = deliveries.data?.items ?? [];
  const destination = channel?.url ?? channel?.address ?? '';

  return (
    <Dialog open={channel !== null} onOpenChange={(open) => !open && onClose()} title="Deliveries">
      <p className="muted small wrap">To {destination}, newest first, one row per attempt.</p>
      <ListStates
        query={deliveries}
        count={items.length}
        loadingLabel="Loading deliveries…"
        errorTitle="The deliveries could not be loaded."
        empty={
          <EmptyState title="Nothing sent yet">
            <p>
              Use <strong>Send test</strong> to try this channel.
            </p>
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Deliveries to {destination}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Attempt</th>
                <th scope="col">Status</th>
                <th scope="col">Answer</th>
              </tr>
            </thead>
            <tbody>
              {items.map((delivery) => (
                <tr key={delivery.id}>
                  <td className="nowrap">
                    <time dateTime={delivery.at}>{formatDateTime(delivery.at)}</time>
                  </td>
                  <td>{eventWords(delivery.type)}</td>
                  <td>{delivery.attempt}</td>
                  <td className="nowrap">
                    <span className={`badge badge-${delivery.status}`}>{STATUS_WORDS[delivery.status]}</span>
                  </td>
                  <td className="wrap">
                    {[delivery.responseStatus && `HTTP ${delivery.responseStatus}`, delivery.error]
                      .filter(Boolean)
                      .join(' · ') || '—'}
                    {delivery.nextAttemptAt && (
                      <div className="muted small">Next attempt {formatDateTime(delivery.nextAttemptAt)}</div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </ListStates>
    </Dialog>
  );
}
