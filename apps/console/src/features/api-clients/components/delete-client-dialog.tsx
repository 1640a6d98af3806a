import type { TApiClient } from '@reg/contracts/api-clients-api';
import { MutationConfirmDialog } from '../../../components/ui/mutation-confirm-dialog.tsx';
import { useDeleteApiClient } from '../api/delete-api-client.ts';

interface DeleteClientDialogProps {
  client: TApiClient | null;
  onClose: () => void;
  onDeleted: (message: string) => void;
}

export function DeleteClientDialog({ client, onClose, onDeleted }: DeleteClientDialogProps) {
  const remove = useDeleteApiClient();
  return (
    <MutationConfirmDialog
      target={client}
      mutation={remove}
      variables={(client) => client.id}
      title={(client) => `Delete ${client.name}?`}
      description="Scripts using this client stop working at once: its tokens are revoked and its secret can no longer get new ones. What it did stays in the audit log."
      confirmLabel="Delete client"
      pendingLabel="Deleting…"
      failure="Could not delete the client"
      onClose={onClose}
      onDone={(client) => onDeleted(`API client ${client.name} is deleted. Its tokens no longer work.`)}
    />
  );
}
