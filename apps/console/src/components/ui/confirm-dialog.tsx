import * as AlertDialog from '@radix-ui/react-alert-dialog';
import type { ReactNode } from 'react';
import { BusyButton } from './busy-button.tsx';
import { ErrorNotice } from './states.tsx';

interface ConfirmDialogProps {
  open: boolean;
  /** The dialog's accessible name, e.g. "Remove the registration of web-01?". */
  title: ReactNode;
  description?: ReactNode;
  /** More to read or to tick before confirming (e.g. acknowledgements). */
  children?: ReactNode;
  confirmLabel: string;
  /** The confirm button's words while the action runs, e.g. "Removing…". */
  pendingLabel?: string;
  cancelLabel?: string;
  /** The action is running: both buttons wait, and the dialog cannot be closed. */
  pending?: boolean;
  /** Why the action failed, shown as an alert above the buttons. */
  error?: string | null;
  /** False until what the dialog asks for is done (e.g. check boxes ticked). */
  canConfirm?: boolean;
  /** "dialog" when the admin fills something in first; "alertdialog" for a plain yes or no. */
  role?: 'alertdialog' | 'dialog';
  /** "primary" for a confirmation that destroys nothing (approving): red is kept for what can't be undone. */
  tone?: 'danger' | 'primary';
  onConfirm: () => void;
  /** Cancel, Escape: the caller closes it (and resets its mutation). */
  onCancel: () => void;
}

/**
 * The one confirmation dialog for destructive actions: named by its title, focus starts on
 * Cancel (Radix AlertDialog), a click beside it does nothing, and nothing closes it mid-action.
 */
export function ConfirmDialog({
  open,
  title,
  description,
  children,
  confirmLabel,
  pendingLabel,
  cancelLabel = 'Cancel',
  pending = false,
  error = null,
  canConfirm = true,
  role = 'alertdialog',
  tone = 'danger',
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  return (
    <AlertDialog.Root
      open={open}
      onOpenChange={(next) => {
        if (!next && !pending) onCancel();
      }}
    >
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="dialog-overlay" />
        <AlertDialog.Content className="dialog" role={role} {...(description ? {} : { 'aria-describedby': undefined })}>
          <AlertDialog.Title className="dialog-title wrap">{title}</AlertDialog.Title>
          {description && (
            <AlertDialog.Description className="dialog-description">{description}</AlertDialog.Description>
          )}
          {children}
          <ErrorNotice message={error} />
          <div className="dialog-actions">
            <AlertDialog.Cancel className="button" disabled={pending}>
              {cancelLabel}
            </AlertDialog.Cancel>
            <BusyButton
              className={`button button-${tone}`}
              onClick={onConfirm}
              disabled={!canConfirm}
              busy={pending}
              busyLabel={pendingLabel}
            >
              {confirmLabel}
            </BusyButton>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
