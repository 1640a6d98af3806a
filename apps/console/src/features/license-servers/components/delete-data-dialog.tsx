import { useState } from 'react';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { plural } from '../../../lib/format.ts';
import { useDeleteUsage } from '../api/delete-usage.ts';
import { afterwardsText, type DeleteTarget } from './delete-target.ts';

interface DeleteDataDialogProps {
  server: DeleteTarget | null;
  onClose: () => void;
  onDeleted: (message: string, server: DeleteTarget) => void;
}

export function DeleteDataDialog({ server, onClose, onDeleted }: DeleteDataDialogProps) {
  // Remounted per server, so the check boxes start unticked every time.
  return <DeleteDataConfirm key={server?.id ?? ''} server={server} onClose={onClose} onDeleted={onDeleted} />;
}

function DeleteDataConfirm({ server, onClose, onDeleted }: DeleteDataDialogProps) {
  const [permanent, setPermanent] = useState(false);
  const [afterwards, setAfterwards] = useState(false);
  const deleteUsage = useDeleteUsage();

  return (
    <ConfirmDialog
      open={server !== null}
      role="dialog"
      title="Delete server data"
      description={
        <>
          Delete all usage data of <strong className="wrap">{server?.serverName}</strong>.
        </>
      }
      confirmLabel="Delete server data"
      pendingLabel="Deleting…"
      canConfirm={permanent && afterwards}
      pending={deleteUsage.isPending}
      error={deleteUsage.isError ? `The usage data could not be deleted: ${deleteUsage.error.message}` : null}
      onCancel={() => {
        deleteUsage.reset();
        onClose();
      }}
      onConfirm={() => {
        if (!server || !permanent || !afterwards) return;
        deleteUsage.mutate(server.id, {
          onSuccess: ({ deletedRecords }) =>
            onDeleted(
              `Deleted ${plural(deletedRecords, 'usage record', 'usage records')} of ${server.serverName}.`,
              server,
            ),
        });
      }}
    >
      <div className="stack">
        <p>
          Every usage record the server uploaded is deleted at once.{' '}
          {server?.registered
            ? 'The server itself and its registration stay as they are.'
            : 'The server then leaves the License Servers list.'}
        </p>
        <Checkbox
          label="I understand that deleting usage data is permanent and can't be undone"
          checked={permanent}
          onChange={setPermanent}
        />
        <Checkbox label={afterwardsText(server?.registered ?? true)} checked={afterwards} onChange={setAfterwards} />
      </div>
    </ConfirmDialog>
  );
}
