import { useState } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { InviteAdminDialog } from '../../../features/admins/components/add-admin-dialog.tsx';
import { AdminsList } from '../../../features/admins/components/admins-list.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

export function AdministratorsRoute() {
  const [addOpen, setAddOpen] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();

  usePageTitle('Administrators');

  return (
    <section className="page">
      <div className="page-header">
        <h1>Administrators</h1>
        {canChange && (
          <button type="button" className="button button-primary" onClick={() => setAddOpen(true)}>
            Invite administrator
          </button>
        )}
      </div>
      <p className="muted">
        Who can sign in to this account. Full access can change everything; read-only can look and export.
      </p>
      <AdminsList onMessage={announce} />
      {canChange && <InviteAdminDialog open={addOpen} onOpenChange={setAddOpen} onDone={announce} />}
    </section>
  );
}
