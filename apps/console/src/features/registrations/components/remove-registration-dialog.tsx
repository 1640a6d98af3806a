import type { TRegistration } from '@reg/contracts/console-api';
import { MutationConfirmDialog } from '../../../components/ui/mutation-confirm-dialog.tsx';
import { useRemoveRegistration } from '../api/remove-registration.ts';

interface RemoveRegistrationDialogProps {
  registration: TRegistration | null;
  onClose: () => void;
  onRemoved: (message: string) => void;
}

export function RemoveRegistrationDialog({ registration, onClose, onRemoved }: RemoveRegistrationDialogProps) {
  const remove = useRemoveRegistration();
  return (
    <MutationConfirmDialog
      target={registration}
      mutation={remove}
      variables={(registration) => registration.id}
      title={(registration) => `Remove the registration of ${registration.serverName}?`}
      description="The server stops reporting at once: its credential is revoked. Its usage history is kept. It can register again later with a new code."
      confirmLabel="Remove"
      pendingLabel="Removing…"
      failure="Could not remove the registration"
      onClose={onClose}
      onDone={(registration) => onRemoved(`The registration of ${registration.serverName} is removed.`)}
    />
  );
}
