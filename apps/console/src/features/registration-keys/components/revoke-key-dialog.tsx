import type { TRegistrationKey } from '@reg/contracts/registration-keys-api';
import { MutationConfirmDialog } from '../../../components/ui/mutation-confirm-dialog.tsx';
import { useRevokeRegistrationKey } from '../api/registration-keys.ts';

interface RevokeKeyDialogProps {
  registrationKey: TRegistrationKey | null;
  onClose: () => void;
  onRevoked: (message: string) => void;
}

export function RevokeKeyDialog({ registrationKey, onClose, onRevoked }: RevokeKeyDialogProps) {
  const revoke = useRevokeRegistrationKey();
  return (
    <MutationConfirmDialog
      target={registrationKey}
      mutation={revoke}
      variables={(key) => key.id}
      title={() => 'Revoke registration key'}
      description={(key) => (
        <>
          No server can register with <strong className="wrap">{key.description}</strong> from now on. Servers it
          registered stay registered.
        </>
      )}
      confirmLabel="Revoke"
      pendingLabel="Revoking…"
      failure="Could not revoke the key"
      onClose={onClose}
      onDone={(key) => onRevoked(`Registration key ${key.description} is revoked.`)}
    />
  );
}
