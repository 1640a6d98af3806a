import type { TChannelType, TNotificationChannel } from '@reg/contracts/notifications-api';
import { useId, useState } from 'react';
import { DataTable, RowButton, type Column } from '../../../components/ui/data-table.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { Truncate } from '../../../components/ui/truncate.tsx';
import { useNotificationChannels } from '../api/get-channels.ts';
import { useSendTestNotification } from '../api/send-test.ts';
import { useResendConfirmation } from '../api/confirm-channel.ts';
import { DeleteChannelDialog } from './delete-channel-dialog.tsx';
import { useCanChange } from '../../auth/use-can-change.ts';
import { DeliveriesDialog } from './deliveries-dialog.tsx';
import { destinationOf, eventWords } from './event-words.ts';

const TYPE_WORDS: Record<TChannelType, string> = {
  webhook: 'Webhook',
  slack: 'Slack',
  teams: 'Microsoft Teams',
  email: 'Email',
};

function NoChannels() {
  return (
    <EmptyState title="No channels yet">
      <p>
        Click <strong>Add channel</strong> to be told by webhook, Slack, Microsoft Teams or email when a License Server
        stops reporting.
      </p>
    </EmptyState>
  );
}

export function ChannelsList({ onMessage }: { onMessage: (message: string) => void }) {
  const rowId = useId();
  const channels = useNotificationChannels();
  const sendTest = useSendTestNotification();
  const resend = useResendConfirmation();
  const canChange = useCanChange();
  const [deleting, setDeleting] = useState<TNotificationChannel | null>(null);
  const [viewing, setViewing] = useState<TNotificationChannel | null>(null);
  const nameId = (channel: TNotificationChannel) => `${rowId}-${channel.id}`;

  const onSendTest = (channel: TNotificationChannel) =>
    sendTest.mutate(channel.id, {
      onSuccess: () => onMessage(`A test is on its way to ${destinationOf(channel)}. See Deliveries for the result.`),
      onError: (error) => onMessage(`Could not send the test: ${error.message}`),
    });

  const onResend = (channel: TNotificationChannel) =>
    resend.mutate(channel.id, {
      onSuccess: () => onMessage(`A new confirmation link is on its way to ${destinationOf(channel)}.`),
      onError: (error) => onMessage(`Could not send the link: ${error.message}`),
    });

  const columns: Column<TNotificationChannel>[] = [
    {
      id: 'destination',
      header: 'Sends to',
      rowHeader: true,
      className: 'cell-name',
      cell: (channel) => <Truncate text={destinationOf(channel)} id={nameId(channel)} />,
    },
    { id: 'type', header: 'Type', cell: (channel) => TYPE_WORDS[channel.type] },
    {
      id: 'events',
      header: 'Events',
      cell: (channel) => (
        <ul className="channel-events">
          {channel.events.map((event) => (
            <li key={event}>{eventWords(event)}</li>
          ))}
        </ul>
      ),
    },
    {
      id: 'last',
      header: 'Last delivery',
      className: 'nowrap',
      cell: ({ lastDelivery, confirmed }) =>
        !confirmed ? (
          <span className="badge badge-pending">Awaiting confirmation</span>
        ) : lastDelivery ? (
          <>
            <StatusBadge status={lastDelivery.status} /> <RelativeTime value={lastDelivery.at} />
          </>
        ) : (
          'None yet'
        ),
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      // The names stay the same on every row; the row's destination describes which channel.
      cell: (channel) => (
        <div className="row-actions">
          {canChange && channel.confirmed && (
            <RowButton
              describedBy={nameId(channel)}
              disabled={sendTest.isPending && sendTest.variables === channel.id}
              onClick={() => onSendTest(channel)}
            >
              Send test
            </RowButton>
          )}
          {canChange && !channel.confirmed && (
            <RowButton
              describedBy={nameId(channel)}
              disabled={resend.isPending && resend.variables === channel.id}
              onClick={() => onResend(channel)}
            >
              Resend link
            </RowButton>
          )}
          <RowButton describedBy={nameId(channel)} onClick={() => setViewing(channel)}>
            Deliveries
          </RowButton>
          {canChange && (
            <RowButton describedBy={nameId(channel)} danger onClick={() => setDeleting(channel)}>
              Delete
            </RowButton>
          )}
        </div>
      ),
    },
  ];

  return (
    <>
      <DataTable
        caption="Notification channels"
        columns={columns}
        rows={channels.data?.items ?? []}
        rowKey={(channel) => channel.id}
        query={channels}
        loadingLabel="Loading channels…"
        errorTitle="The channels could not be loaded."
        empty={<NoChannels />}
      />
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
