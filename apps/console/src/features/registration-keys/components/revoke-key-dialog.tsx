import type { TRegistrationKey } from '@reg/contracts/registration-keys-api';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useRevokeRegistrationKey } from '../api/registration-keys.ts';

interface RevokeKeyDialogProps {
  registrationKey: TRegistrationKey | null;
  onClose: () => void;
  onRevoked: (message: string) => void;
}

export function RevokeKeyDialog({ registrationKey, onClose, onRevoked }: RevokeKeyDialogProps) {
  const revoke = useRevokeRegistrationKey();
  return (
    <ConfirmDialog
      open={registrationKey !== null}
      title="Revoke registration key"
      description={
        <>
          No server can register with <strong className="wrap">{registrationKey?.description}</strong> from now on.
          Servers it registered stay registered.
        </>
      }
      confirmLabel="Revoke"
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      error={revoke.isError ? `Could not revoke the key: ${revoke.error.message}` : null}
      onCancel={() => {
        revoke.reset();
        onClose();
      }}
      onConfirm={() => {
        if (!registrationKey) return;
        revoke.mutate(registrationKey.id, {
          onSuccess: () => {
            revoke.reset();
            onRevoked(`Registration key ${registrationKey.description} is revoked.`);
          },
        });
      }}
    />
  );
}
