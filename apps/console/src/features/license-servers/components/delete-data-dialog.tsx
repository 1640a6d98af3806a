import { useId, useState, type FormEvent } from 'react';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { plural } from '../../../lib/format.ts';
import { useDeleteUsage } from '../api/delete-usage.ts';

export interface DeleteTarget {
  id: string;
  serverName: string;
}

interface DeleteDataDialogProps {
  server: DeleteTarget | null;
  onClose: () => void;
  onDeleted: (message: string, server: DeleteTarget) => void;
}

export function DeleteDataDialog({ server, onClose, onDeleted }: DeleteDataDialogProps) {
  return (
    <Dialog
      open={server !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
      title="Delete server data"
      description={
        server && (
          <>
            Delete all usage data of <strong className="wrap">{server.serverName}</strong>.
          </>
        )
      }
    >
      {server && <DeleteDataForm server={server} onCancel={onClose} onDeleted={onDeleted} />}
    </Dialog>
  );
}

function DeleteDataForm({
  server,
  onCancel,
  onDeleted,
}: {
  server: DeleteTarget;
  onCancel: () => void;
  onDeleted: DeleteDataDialogProps['onDeleted'];
}) {
  const permanentId = useId();
  const continuesId = useId();
  const [permanent, setPermanent] = useState(false);
  const [continues, setContinues] = useState(false);
  const deleteUsage = useDeleteUsage();

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!permanent || !continues) return;
    deleteUsage.mutate(server.id, {
      onSuccess: ({ deletedRecords }) =>
        onDeleted(
          `Deleted ${plural(deletedRecords, 'usage record', 'usage records')} of ${server.serverName}.`,
          server,
        ),
    });
  };

  return (
    <form className="stack" onSubmit={onSubmit}>
      <p>
        Every usage record the server uploaded is deleted at once. The server itself and its registration stay as they
        are.
      </p>
      <div className="checkbox">
        <input id={permanentId} type="checkbox" checked={permanent} onChange={(e) => setPermanent(e.target.checked)} />
        <label htmlFor={permanentId}>I understand that deleting usage data is permanent and can't be undone</label>
      </div>
      <div className="checkbox">
        <input id={continuesId} type="checkbox" checked={continues} onChange={(e) => setContinues(e.target.checked)} />
        <label htmlFor={continuesId}>
          I understand that usage data continues to be collected while the server stays registered
        </label>
      </div>
      {deleteUsage.isError && (
        <p className="notice notice-error" role="alert">
          The usage data could not be deleted: {deleteUsage.error.message}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel} disabled={deleteUsage.isPending}>
          Cancel
        </button>
        <button
          type="submit"
          className="button button-danger"
          disabled={!permanent || !continues || deleteUsage.isPending}
          aria-busy={deleteUsage.isPending || undefined}
        >
          {deleteUsage.isPending ? 'Deleting…' : 'Delete server data'}
        </button>
      </div>
    </form>
  );
}
