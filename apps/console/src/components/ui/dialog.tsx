import * as DialogPrimitive from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';

interface DialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  /** False while closing would lose something: a click beside the dialog then does nothing (Escape and Close still work). */
  closeOnOutsideClick?: boolean;
}

/** A modal dialog named by its title: focus is trapped inside and Escape closes it. */
export function Dialog({ open, onOpenChange, title, description, children, closeOnOutsideClick = true }: DialogProps) {
  return (
    <DialogPrimitive.Root open={open} onOpenChange={onOpenChange}>
      <DialogPrimitive.Portal>
        <DialogPrimitive.Overlay className="dialog-overlay" />
        <DialogPrimitive.Content
          className="dialog"
          {...(description ? {} : { 'aria-describedby': undefined })}
          onInteractOutside={closeOnOutsideClick ? undefined : (event) => event.preventDefault()}
          onOpenAutoFocus={(event) => {
            // Start on the field to fill in (marked data-autofocus), not on the close button.
            const target = (event.currentTarget as HTMLElement | null)?.querySelector<HTMLElement>('[data-autofocus]');
            if (target) {
              event.preventDefault();
              target.focus();
            }
          }}
        >
          <div className="dialog-header">
            <DialogPrimitive.Title className="dialog-title">{title}</DialogPrimitive.Title>
            <DialogPrimitive.Close className="button-icon" aria-label="Close">
              ×
            </DialogPrimitive.Close>
          </div>
          {description && (
            <DialogPrimitive.Description className="dialog-description">{description}</DialogPrimitive.Description>
          )}
          {children}
        </DialogPrimitive.Content>
      </DialogPrimitive.Portal>
    </DialogPrimitive.Root>
  );
}
