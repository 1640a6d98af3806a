import { useState } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { ApiClientsHelp } from '../../../features/api-clients/components/api-clients-help.tsx';
import { ApiClientsList } from '../../../features/api-clients/components/api-clients-list.tsx';
import { CreateClientDialog } from '../../../features/api-clients/components/create-client-dialog.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { Page } from '../../../components/ui/page.tsx';

export function SecureClientsRoute() {
  const [createOpen, setCreateOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  return (
    <Page
      title="Secure Clients"
      actions={
        canChange && (
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            Create client
          </button>
        )
      }
    >
      <ApiClientsHelp />
      <ApiClientsList onMessage={announce} />
      <CreateClientDialog open={createOpen} onOpenChange={setCreateOpen} onDone={announce} />
    </Page>
  );
}
