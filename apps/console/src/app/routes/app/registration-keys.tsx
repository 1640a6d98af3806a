import { useState } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { CreateKeyDialog } from '../../../features/registration-keys/components/create-key-dialog.tsx';
import { RegistrationKeysList } from '../../../features/registration-keys/components/registration-keys-list.tsx';
import { Page } from '../../../components/ui/page.tsx';

export function RegistrationKeysRoute() {
  const [createOpen, setCreateOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  return (
    <Page
      title="Registration keys"
      actions={
        canChange && (
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            Create key
          </button>
        )
      }
    >
      <RegistrationKeysList onMessage={announce} />
      <CreateKeyDialog open={createOpen} onOpenChange={setCreateOpen} onDone={announce} />
    </Page>
  );
}
