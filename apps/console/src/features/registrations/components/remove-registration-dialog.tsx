import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { TRegistration } from '@reg/contracts/console-api';
import { useRemoveRegistration } from '../api/remove-registration.ts';

interface RemoveRegistrationDialogProps {
  registration: TRegistration | null;
  onClose: () => void;
  onRemoved: (message: string) => void;
}

export function RemoveRegistrationDialog({ registration, onClose, onRemoved }: RemoveRegistrationDialogProps) {
  const remove = useRemoveRegistration();
  const open = registration !== null;

  const onOpenChange = (next: boolean) => {
    if (next || remove.isPending) return;
    remove.reset();
    onClose();
  };

  const onRemove = () => {
    if (!registration) return;
    remove.mutate(registration.id, {
      onSuccess: () => {
        remove.reset();
        onRemoved(`The registration of ${registration.serverName} is removed.`);
      },
    });
  };

  return (
    <AlertDialog.Root open={open} onOpenChange={onOpenChange}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog">
          <AlertDialog.Title className="dialog-title wrap">
            Remove the registration of {registration?.serverName}?
          </AlertDialog.Title>
          <AlertDialog.Description className="dialog-description">
            The server stops reporting at once: its credential is revoked. Its usage history is kept. It can register
            again later with a new code.
          </AlertDialog.Description>
          {remove.isError && (
            <p className="notice notice-error" role="alert">
              Could not remove the registration: {remove.error.message}
            </p>
          )}
          <div className="dialog-actions">
            <AlertDialog.Cancel className="button" disabled={remove.isPending}>
              Cancel
            </AlertDialog.Cancel>
            <button
              type="button"
              className="button button-danger"
              onClick={onRemove}
              disabled={remove.isPending}
              aria-busy={remove.isPending || undefined}
            >
              {remove.isPending ? 'Removing…' : 'Remove'}
            </button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
