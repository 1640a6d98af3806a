import type { ReactNode } from 'react';
import { ConfirmDialog } from './confirm-dialog.tsx';

/** What the dialog needs of a TanStack mutation (`useMutation`'s result). */
interface ConfirmedMutation<Variables, Result> {
  isPending: boolean;
  error: { message: string } | null;
  mutate: (variables: Variables, options: { onSuccess: (result: Result) => void }) => void;
  reset: () => void;
}

interface MutationConfirmDialogProps<Target, Variables, Result> {
  /** What the action is about (a row); the dialog is open while there is one. */
  target: Target | null;
  mutation: ConfirmedMutation<Variables, Result>;
  /** What the mutation is called with for the target (e.g. its id). */
  variables: (target: Target) => Variables;
  title: (target: Target) => ReactNode;
  description: ReactNode | ((target: Target) => ReactNode);
  children?: ReactNode;
  confirmLabel: string;
  /** The confirm button's words while the request runs, e.g. "Deleting…". */
  pendingLabel: string;
  /** The start of the error line, e.g. "Could not delete the client": the server's reason follows. */
  failure: string;
  /** Cancel, Escape: the caller forgets the target. */
  onClose: () => void;
  /** After success (the dialog's error is cleared): the caller forgets the target and says what happened. */
  onDone: (target: Target, result: Result) => void;
}

/**
 * A confirmation that runs one request about one thing (delete a channel, revoke a key, remove
 * a registration…): while it runs the buttons wait; a failure shows the server's reason and
 * leaves the dialog open to try again; Cancel or success clears the error for the next opening.
 */
export function MutationConfirmDialog<Target, Variables, Result>({
  target,
  mutation,
  variables,
  title,
  description,
  children,
  confirmLabel,
  pendingLabel,
  failure,
  onClose,
  onDone,
}: MutationConfirmDialogProps<Target, Variables, Result>) {
  return (
    <ConfirmDialog
      open={target !== null}
      title={target === null ? '' : title(target)}
      description={typeof description === 'function' ? target !== null && description(target) : description}
      confirmLabel={confirmLabel}
      pendingLabel={pendingLabel}
      pending={mutation.isPending}
      error={mutation.error ? `${failure}: ${mutation.error.message}` : null}
      onCancel={() => {
        mutation.reset();
        onClose();
      }}
      onConfirm={() => {
        if (target === null) return;
        mutation.mutate(variables(target), {
          onSuccess: (result) => {
            mutation.reset();
            onDone(target, result);
          },
        });
      }}
    >
      {children}
    </ConfirmDialog>
  );
}
