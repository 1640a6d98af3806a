import type { TAdmin, TAdminRole } from '@reg/contracts/admins-api';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { ROLE_LABELS, useChangeRole, useRemoveAdmin } from '../api/admins.ts';

export type AdminAction = { kind: 'change-role' | 'remove'; admin: TAdmin } | null;

const otherRole = (role: TAdminRole): TAdminRole => (role === 'full' ? 'read-only' : 'full');

/** The confirmations behind "Change role" and "Remove administrator". */
export function AdminDialogs({
  action,
  onClose,
  onDone,
}: {
  action: AdminAction;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const changeRole = useChangeRole();
  const remove = useRemoveAdmin();
  const admin = action?.admin;
  const next = admin ? otherRole(admin.role) : 'full';
  const close = () => {
    changeRole.reset();
    remove.reset();
    onClose();
  };
  return (
    <>
      <ConfirmDialog
        open={action?.kind === 'change-role'}
        title={`Change the role of ${admin?.email ?? ''} to ${ROLE_LABELS[next]}?`}
        description={
          next === 'read-only'
            ? 'From their next request they can read and export, but change nothing. Their API clients too.'
            : 'From their next request they can do everything, as you can.'
        }
        confirmLabel="Change role"
        pendingLabel="Changing…"
        pending={changeRole.isPending}
        error={changeRole.isError ? `Could not change the role: ${changeRole.error.message}` : null}
        onCancel={close}
        onConfirm={() =>
          admin &&
          changeRole.mutate(
            { id: admin.id, role: next },
            {
              onSuccess: () => {
                close();
                onDone(`${admin.email} now has ${ROLE_LABELS[next].toLowerCase()}.`);
              },
            },
          )
        }
      />
      <ConfirmDialog
        open={action?.kind === 'remove'}
        title={`Remove the administrator ${admin?.email ?? ''}?`}
        description="They are signed out at once, and the API clients they created are deleted (their tokens stop working)."
        confirmLabel="Remove"
        pendingLabel="Removing…"
        pending={remove.isPending}
        error={remove.isError ? `Could not remove the administrator: ${remove.error.message}` : null}
        onCancel={close}
        onConfirm={() =>
          admin &&
          remove.mutate(admin.id, {
            onSuccess: () => {
              close();
              onDone(`${admin.email} is removed.`);
            },
          })
        }
      />
    </>
  );
}
