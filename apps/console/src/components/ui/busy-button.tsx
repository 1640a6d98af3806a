import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { ErrorNotice } from './states.tsx';

interface BusyButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  /** Its action is running: the button waits (disabled, aria-busy) and may say so. */
  busy: boolean;
  /** What it says meanwhile, e.g. "Signing in…"; else its usual words. */
  busyLabel?: string;
}

/** A button whose action takes a moment; type "button" unless told "submit". */
export function BusyButton({ busy, busyLabel, disabled, children, type = 'button', ...rest }: BusyButtonProps) {
  return (
    <button type={type} disabled={busy || disabled} aria-busy={busy || undefined} {...rest}>
      {busy && busyLabel ? busyLabel : children}
    </button>
  );
}

/** The end of a form in a dialog: why it failed (if it did), then its submit button. */
export function FormFooter({
  error,
  busy,
  busyLabel,
  children,
}: {
  error: ReactNode;
  busy: boolean;
  busyLabel: string;
  children: ReactNode;
}) {
  return (
    <>
      <ErrorNotice message={error} />
      <div className="dialog-actions">
        <BusyButton type="submit" className="button button-primary" busy={busy} busyLabel={busyLabel}>
          {children}
        </BusyButton>
      </div>
    </>
  );
}
