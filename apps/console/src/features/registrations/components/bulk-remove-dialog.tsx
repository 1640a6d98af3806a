import type { TRegistration } from '@reg/contracts/console-api';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { useBulkRemoveRegistrations } from '../api/bulk-remove-registrations.ts';

interface BulkRemoveDialogProps {
  open: boolean;
  registrations: readonly TRegistration[];
  onClose: () => void;
  onRemoved: (message: string) => void;
}

/** One confirmation for the selected rows, naming every server it removes. */
export function BulkRemoveDialog({ open, registrations, onClose, onRemoved }: BulkRemoveDialogProps) {
  const remove = useBulkRemoveRegistrations();
  const count = registrations.length;
  const noun = count === 1 ? 'registration' : 'registrations';
  return (
    <ConfirmDialog
      open={open}
      title={`Remove ${count} ${noun}?`}
      description="These servers stop reporting at once: their credentials are revoked. Their usage history is kept. Each can register again later with a new code."
      confirmLabel="Remove"
      pendingLabel="Removing…"
      pending={remove.isPending}
      error={remove.isError ? `Could not remove the registrations: ${remove.error.message}` : null}
      onCancel={() => {
        remove.reset();
        onClose();
      }}
      onConfirm={() =>
        remove.mutate(
          registrations.map((registration) => registration.id),
          {
            onSuccess: (result) => {
              remove.reset();
              const removed = result.removed.length;
              onRemoved(`${removed} ${removed === 1 ? 'registration is' : 'registrations are'} removed.`);
            },
          },
        )
      }
    >
      <ul className="dialog-list" aria-label="Servers to remove">
        {registrations.map((registration) => (
          <li key={registration.id} className="wrap">
            {registration.serverName}
          </li>
        ))}
      </ul>
    </ConfirmDialog>
  );
}
