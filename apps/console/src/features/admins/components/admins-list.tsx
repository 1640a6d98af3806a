import type { TAdmin } from '@reg/contracts/admins-api';
import { useState } from 'react';
import { actionsColumn } from '../../../components/ui/actions-menu.tsx';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { timeColumn } from '../../../components/ui/relative-time.tsx';
import { Truncate } from '../../../components/ui/truncate.tsx';
import { useCanChange } from '../../auth/use-can-change.ts';
import { ROLE_LABELS, useAdmins } from '../api/admins.ts';
import { useSetBreakGlass } from '../api/set-break-glass.ts';
import { AdminDialogs, type AdminAction } from './admin-dialogs.tsx';
import { RenewInvitationDialog } from './renew-invitation-dialog.tsx';

/** "Invitation expired" once the live link's time has passed (renewing makes a new one). */
function statusText(admin: TAdmin): string {
  if (admin.status === 'active') return 'Active';
  const expired = admin.invitationExpiresAt === null || Date.parse(admin.invitationExpiresAt) <= Date.now();
  return expired ? 'Invitation expired' : 'Invited';
}

export function AdminsList({ onMessage }: { onMessage: (message: string) => void }) {
  const admins = useAdmins();
  const canChange = useCanChange();
  const [action, setAction] = useState<AdminAction>(null);
  const setBreakGlass = useSetBreakGlass();
  // Break-glass admins may still use a password while single sign-on is required: full, active admins only.
  const breakGlassActions = (admin: TAdmin) =>
    admin.role !== 'full' || admin.status !== 'active'
      ? []
      : [
          {
            label: admin.breakGlass ? 'Remove break-glass' : 'Allow password sign-in (break-glass)',
            onSelect: () =>
              setBreakGlass.mutate(
                { id: admin.id, breakGlass: !admin.breakGlass },
                {
                  onSuccess: (saved) =>
                    onMessage(
                      saved.breakGlass
                        ? `${saved.email} may sign in with a password while single sign-on is required.`
                        : `${saved.email} is no longer a break-glass administrator.`,
                    ),
                  onError: (error) => onMessage(`Could not change break-glass: ${error.message}`),
                },
              ),
          },
        ];
  const [renewing, setRenewing] = useState<TAdmin | null>(null);

  const columns: Column<TAdmin>[] = [
    {
      id: 'email',
      header: 'Email',
      rowHeader: true,
      className: 'cell-email',
      cell: (admin) => <Truncate text={admin.email} />,
    },
    { id: 'role', header: 'Role', className: 'nowrap', cell: (admin) => ROLE_LABELS[admin.role] },
    { id: 'status', header: 'Status', className: 'nowrap', cell: statusText },
    { id: 'two-step', header: 'Two-step', className: 'nowrap', cell: (admin) => (admin.mfaEnabled ? 'On' : 'Off') },
    {
      id: 'break-glass',
      header: 'Break-glass',
      className: 'nowrap',
      cell: (admin) => (admin.breakGlass ? 'Yes' : 'No'),
    },
    timeColumn('added', 'Added', (admin) => admin.createdAt, 'date'),
    timeColumn('signed-in', 'Last sign-in', (admin) => admin.lastSignInAt),
  ];
  if (canChange) {
    columns.push(
      actionsColumn(
        (admin) => admin.email,
        (admin) => [
          ...(admin.status === 'invited' ? [{ label: 'Renew invitation', onSelect: () => setRenewing(admin) }] : []),
          { label: 'Change role', onSelect: () => setAction({ kind: 'change-role', admin }) },
          ...breakGlassActions(admin),
          { label: 'Remove administrator', danger: true, onSelect: () => setAction({ kind: 'remove', admin }) },
        ],
      ),
    );
  }

  return (
    <>
      <DataTable
        caption="Administrators"
        columns={columns}
        rows={admins.data?.items ?? []}
        rowKey={(admin) => admin.id}
        query={admins}
        loadingLabel="Loading administrators…"
        errorTitle="The administrators could not be loaded."
        empty={<p className="muted">No administrators.</p>}
      />
      <AdminDialogs action={action} onClose={() => setAction(null)} onDone={onMessage} />
      <RenewInvitationDialog
        admin={renewing}
        open={renewing !== null}
        onOpenChange={(open) => !open && setRenewing(null)}
        onDone={onMessage}
      />
    </>
  );
}
