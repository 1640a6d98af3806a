import type { TRegistration } from '@reg/contracts/console-api';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useRemoveRegistration } from '../api/remove-registration.ts';

interface RemoveRegistrationDialogProps {
  registration: TRegistration | null;
  onClose: () => void;
  onRemoved: (message: string) => void;
}

export function RemoveRegistrationDialog({ registration, onClose, onRemoved }: RemoveRegistrationDialogProps) {
  const remove = useRemoveRegistration();
  return (
    <ConfirmDialog
      open={registration !== null}
      title={`Remove the registration of ${registration?.serverName ?? ''}?`}
      description="The server stops reporting at once: its credential is revoked. Its usage history is kept. It can register again later with a new code."
      confirmLabel="Remove"
      pendingLabel="Removing…"
      pending={remove.isPending}
      error={remove.isError ? `Could not remove the registration: ${remove.error.message}` : null}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() => {
        if (!registration) return;
        remove.mutate(registration.id, {
          onSuccess: () => {
            remove.reset();
            onRemoved(`The registration of ${registration.serverName} is removed.`);
          },
        });
      }}
    />
  );
}
