import { useId, type ComponentProps, type FormEvent, type ReactNode } from 'react';
import type { FieldError } from 'react-hook-form';
import { BusyButton } from './busy-button.tsx';
import { ErrorNotice } from './states.tsx';

/**
 * The console's one form kit, for forms on react-hook-form with the contracts' zod schema
 * (use-zod-form.ts): a field with its label, hint and error; the form-level error; the
 * submit button with its busy state. Kept free of zod so the sign-in page can use it and
 * load zod later.
 */

/** What a field's control takes to be named, described and marked invalid. */
interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/** A schema's message as a sentence about the field: "Name must not be empty." */
export const fieldErrorText = (label: string, error: FieldError | undefined): string | null =>
  error?.message ? `${label} ${error.message}.` : null;

export function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: ReactNode;
  /** A whole sentence, shown under the control and read with it. */
  error?: string | null | false;
  /** The control, given its id and ARIA wiring. */
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      {hint && (
        <p id={hintId} className="muted small">
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A count typed as a whole number (days, uses): the phone's digit keypad, steps of one. Its
 * value stays a string, as typed, for the form's schema to check and convert.
 */
export function WholeNumberInput(props: Omit<ComponentProps<'input'>, 'type' | 'inputMode' | 'step'>) {
  return <input {...props} type="number" inputMode="numeric" step={1} />;
}

/**
 * A form whose component reads and checks its values itself (no react-hook-form): laid out as
 * a stack, the browser's own checks off so the form's messages show instead, and submitting
 * runs `onSubmit` without loading a page.
 */
export function PlainForm({ onSubmit, children }: { onSubmit: () => void; children: ReactNode }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <form className="stack" noValidate onSubmit={submit}>
      {children}
    </form>
  );
}

/** Why the form failed as a whole (the server's answer); nothing when empty. */
export const FormError = ErrorNotice;

/** The submit button: disabled and busy while its mutation runs, saying so. */
export function SubmitButton({ busy, busyLabel, children }: { busy: boolean; busyLabel: string; children: ReactNode }) {
  return (
    <BusyButton type="submit" className="button button-primary" busy={busy} busyLabel={busyLabel}>
      {children}
    </BusyButton>
  );
}

/** The end of a form in a dialog: the form-level error, then the submit button. */
export { FormFooter } from './busy-button.tsx';
