import type { TNotificationChannel } from '@reg/contracts/notifications-api';
import { useId, useState } from 'react';
import { EmptyState, ErrorState, ListStates } from '../../../components/ui/states.tsx';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { useNotificationChannels } from '../api/get-channels.ts';
import { useSendTestNotification } from '../api/send-test.ts';
import { DeleteChannelDialog } from './delete-channel-dialog.tsx';
import { DeliveriesDialog } from './deliveries-dialog.tsx';
import { eventWords, STATUS_WORDS } from './event-words.ts';

export const destinationOf = (channel: TNotificationChannel) => channel.url ?? channel.address ?? '';

export function ChannelsList({ onMessage }: { onMessage: (message: string) => void }) {
  const rowId = useId();
  const channels = useNotificationChannels();
  const sendTest = useSendTestNotification();
  const [deleting, setDeleting] = useState<TNotificationChannel | null>(null);
  const [viewing, setViewing] = useState<TNotificationChannel | null>(null);
  const items = channels.data?.items ?? [];

  const onSendTest = (channel: TNotificationChannel) =>
    sendTest.mutate(channel.id, {
      onSuccess: () => onMessage(`A test is on its way to ${destinationOf(channel)}. See Deliveries for the result.`),
      onError: (error) => onMessage(`Could not send the test: ${error.message}`),
    });

  return (
    <>
      {channels.isError && items.length > 0 && (
        <ErrorState title="The list could not be refreshed." error={channels.error} />
      )}
      <ListStates
        query={channels}
        count={items.length}
        loadingLabel="Loading channels…"
        errorTitle="The channels could not be loaded."
        empty={
          <EmptyState title="No channels yet">
            <p>
              Click <strong>Add channel</strong> to be told by webhook or email when a License Server stops reporting.
            </p>
          </EmptyState>
        }
      >
        <div className="table-wrap">
          <table className="table" aria-busy={channels.isFetching || undefined}>
            <caption className="visually-hidden">Notification channels</caption>
            <thead>
              <tr>
                <th scope="col">Sends to</th>
                <th scope="col">Type</th>
                <th scope="col">Events</th>
                <th scope="col">Last delivery</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((channel) => {
                const nameId = `${rowId}-${channel.id}`;
                return (
                  <tr key={channel.id}>
                    <th scope="row" className="cell-name" id={nameId}>
                      <span className="truncate" title={destinationOf(channel)}>
                        {destinationOf(channel)}
                      </span>
                    </th>
                    <td>{channel.type === 'webhook' ? 'Webhook' : 'Email'}</td>
                    <td>
                      <ul className="channel-events">
                        {channel.events.map((event) => (
                          <li key={event}>{eventWords(event)}</li>
                        ))}
                      </ul>
                    </td>
                    <td className="nowrap">
                      {channel.lastDelivery ? (
                        <>
                          <span className={`badge badge-${channel.lastDelivery.status}`}>
                            {STATUS_WORDS[channel.lastDelivery.status]}
                          </span>{' '}
                          <time dateTime={channel.lastDelivery.at} title={formatDateTime(channel.lastDelivery.at)}>
                            {formatRelative(channel.lastDelivery.at)}
                          </time>
                        </>
                      ) : (
                        'None yet'
                      )}
                    </td>
                    <td className="cell-actions">
                      {/* The names stay short; the row's destination says which channel. */}
                      <div className="row-actions">
                        <button
                          type="button"
                          className="button button-small"
                          aria-describedby={nameId}
                          disabled={sendTest.isPending && sendTest.variables === channel.id}
                          onClick={() => onSendTest(channel)}
                        >
                          Send test
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          aria-describedby={nameId}
                          onClick={() => setViewing(channel)}
                        >
                          Deliveries
                        </button>
                        <button
                          type="button"
                          className="button button-small button-danger-outline"
                          aria-describedby={nameId}
                          onClick={() => setDeleting(channel)}
                        >
                          Delete
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </ListStates>
      <DeliveriesDialog channel={viewing} onClose={() => setViewing(null)} />
      <DeleteChannelDialog
        channel={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(message) => {
          setDeleting(null);
          onMessage(message);
        }}
      />
    </>
  );
}
