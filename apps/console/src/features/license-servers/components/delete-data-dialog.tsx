import { ZDeleteUsageRequest } from '@reg/contracts/usage-api';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
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

/** Both acknowledgements of the contract's request, ticked. */
const ZAcknowledged = ZDeleteUsageRequest.required().refine(
  (request) => request.acknowledgePermanent && request.acknowledgeCollectionContinues,
);

function DeleteDataConfirm({ server, onClose, onDeleted }: DeleteDataDialogProps) {
  const { watch, setValue, handleSubmit } = useZodForm(ZAcknowledged, {
    acknowledgePermanent: false,
    acknowledgeCollectionContinues: false,
  });
  const permanent = watch('acknowledgePermanent');
  const afterwards = watch('acknowledgeCollectionContinues');
  const deleteUsage = useDeleteUsage();
  const onConfirm = handleSubmit((acknowledgements) => {
    if (!server) return;
    deleteUsage.mutate(
      { id: server.id, ...acknowledgements },
      {
        onSuccess: ({ deletedRecords }) =>
          onDeleted(
            `Deleted ${plural(deletedRecords, 'usage record', 'usage records')} of ${server.serverName}.`,
            server,
          ),
      },
    );
  });

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
      onConfirm={() => void onConfirm()}
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
          onChange={(checked) => setValue('acknowledgePermanent', checked)}
        />
        <Checkbox
          label={afterwardsText(server?.registered ?? true)}
          checked={afterwards}
          onChange={(checked) => setValue('acknowledgeCollectionContinues', checked)}
        />
      </div>
    </ConfirmDialog>
  );
}
