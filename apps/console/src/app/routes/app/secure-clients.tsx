import { useState } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { ApiClientsHelp } from '../../../features/api-clients/components/api-clients-help.tsx';
import { ApiClientsList } from '../../../features/api-clients/components/api-clients-list.tsx';
import { CreateClientDialog } from '../../../features/api-clients/components/create-client-dialog.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

export function SecureClientsRoute() {
  const [createOpen, setCreateOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  usePageTitle('Secure Clients');

  return (
    <section className="page">
      <div className="page-header">
        <h1>Secure Clients</h1>
        {canChange && (
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            Create client
          </button>
        )}
      </div>
      <ApiClientsHelp />
      <ApiClientsList onMessage={announce} />
      <CreateClientDialog open={createOpen} onOpenChange={setCreateOpen} onDone={announce} />
    </section>
  );
}
