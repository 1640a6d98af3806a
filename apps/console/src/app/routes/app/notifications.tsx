import { useState } from 'react';
import { Page } from '../../../components/ui/page.tsx';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { AddChannelDialog } from '../../../features/notifications/components/add-channel-dialog.tsx';
import { ChannelsList } from '../../../features/notifications/components/channels-list.tsx';
import { MaintenanceWindows } from '../../../features/notifications/components/maintenance-windows.tsx';
import '../../../features/notifications/components/notifications.css';

export function NotificationsRoute() {
  const [addOpen, setAddOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  return (
    <Page
      title="Notifications"
      intro="Where to tell your team when a License Server stops reporting, is registered, waits for approval or is removed, or its licenses run short: a webhook (signed per Standard Webhooks), a Slack or Microsoft Teams channel, or an email address."
      actions={
        canChange && (
          <button type="button" className="button button-primary" onClick={() => setAddOpen(true)}>
            Add channel
          </button>
        )
      }
    >
      <ChannelsList onMessage={announce} />
      <AddChannelDialog open={addOpen} onOpenChange={setAddOpen} onDone={announce} />
      <MaintenanceWindows canChange={canChange} onMessage={announce} />
    </Page>
  );
}
