import type { TAdmin, TAdminRole } from '@reg/contracts/admins-api';
import { MutationConfirmDialog } from '../../../components/ui/mutation-confirm-dialog.tsx';
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
  const done = (message: string) => {
    onClose();
    onDone(message);
  };
  return (
    <>
      <MutationConfirmDialog
        target={action?.kind === 'change-role' ? action.admin : null}
        mutation={changeRole}
        variables={(admin) => ({ id: admin.id, role: otherRole(admin.role) })}
        title={(admin) => `Change the role of ${admin.email} to ${ROLE_LABELS[otherRole(admin.role)]}?`}
        description={(admin) =>
          otherRole(admin.role) === 'read-only'
            ? 'From their next request they can read and export, but change nothing. Their API clients too.'
            : 'From their next request they can do everything, as you can.'
        }
        confirmLabel="Change role"
        pendingLabel="Changing…"
        failure="Could not change the role"
        onClose={onClose}
        onDone={(admin) => done(`${admin.email} now has ${ROLE_LABELS[otherRole(admin.role)].toLowerCase()}.`)}
      />
      <MutationConfirmDialog
        target={action?.kind === 'remove' ? action.admin : null}
        mutation={remove}
        variables={(admin) => admin.id}
        title={(admin) => `Remove the administrator ${admin.email}?`}
        description="They are signed out at once, and the API clients they created are deleted (their tokens stop working)."
        confirmLabel="Remove"
        pendingLabel="Removing…"
        failure="Could not remove the administrator"
        onClose={onClose}
        onDone={(admin) => done(`${admin.email} is removed.`)}
      />
    </>
  );
}
