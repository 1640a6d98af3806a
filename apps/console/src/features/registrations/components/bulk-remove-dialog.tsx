import type { TRegistration } from '@reg/contracts/console-api';
import { MutationConfirmDialog } from '../../../components/ui/mutation-confirm-dialog.tsx';
import { useBulkRemoveRegistrations } from '../api/bulk-remove-registrations.ts';
import { ServerNameList } from './server-name-list.tsx';

interface BulkRemoveDialogProps {
  open: boolean;
  registrations: readonly TRegistration[];
  onClose: () => void;
  onRemoved: (message: string) => void;
}

const registrationCount = (count: number) => `${count} ${count === 1 ? 'registration' : 'registrations'}`;

/** One confirmation for the selected rows, naming every server it removes. */
export function BulkRemoveDialog({ open, registrations, onClose, onRemoved }: BulkRemoveDialogProps) {
  const remove = useBulkRemoveRegistrations();
  return (
    <MutationConfirmDialog
      target={open ? registrations : null}
      mutation={remove}
      variables={(registrations) => registrations.map((registration) => registration.id)}
      title={(registrations) => `Remove ${registrationCount(registrations.length)}?`}
      description="These servers stop reporting at once: their credentials are revoked. Their usage history is kept. Each can register again later with a new code."
      confirmLabel="Remove"
      pendingLabel="Removing…"
      failure="Could not remove the registrations"
      onClose={onClose}
      onDone={(_, result) => {
        const removed = result.removed.length;
        onRemoved(`${removed} ${removed === 1 ? 'registration is' : 'registrations are'} removed.`);
      }}
    >
      <ServerNameList label="Servers to remove" registrations={registrations} />
    </MutationConfirmDialog>
  );
}
