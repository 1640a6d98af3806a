import { useState } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { InviteAdminDialog } from '../../../features/admins/components/add-admin-dialog.tsx';
import { AdminsList } from '../../../features/admins/components/admins-list.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { Page } from '../../../components/ui/page.tsx';

export function AdministratorsRoute() {
  const [addOpen, setAddOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  return (
    <Page
      title="Administrators"
      intro="Who can sign in to this account. Full access can change everything; read-only can look and export."
      actions={
        canChange && (
          <button type="button" className="button button-primary" onClick={() => setAddOpen(true)}>
            Invite administrator
          </button>
        )
      }
    >
      <AdminsList onMessage={announce} />
      {canChange && <InviteAdminDialog open={addOpen} onOpenChange={setAddOpen} onDone={announce} />}
    </Page>
  );
}
