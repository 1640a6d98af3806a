import { useState } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { CreateKeyDialog } from '../../../features/registration-keys/components/create-key-dialog.tsx';
import { RegistrationKeysList } from '../../../features/registration-keys/components/registration-keys-list.tsx';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

export function RegistrationKeysRoute() {
  const [createOpen, setCreateOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  usePageTitle('Registration keys');

  return (
    <section className="page">
      <div className="page-header">
        <h1>Registration keys</h1>
        {canChange && (
          <button type="button" className="button button-primary" onClick={() => setCreateOpen(true)}>
            Create key
          </button>
        )}
      </div>
      <RegistrationKeysList onMessage={announce} />
      <CreateKeyDialog open={createOpen} onOpenChange={setCreateOpen} onDone={announce} />
    </section>
  );
}
