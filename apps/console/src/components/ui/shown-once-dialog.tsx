import { useState, type ReactNode } from 'react';
import { Dialog } from './dialog.tsx';

export interface ShownOnceDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Told once the dialog closes after something was made: the message the page announces. */
  onDone: (message: string) => void;
}

interface Props<T> extends ShownOnceDialogProps {
  title: string;
  /** The title while the secret is on screen, when it differs. */
  shownTitle?: string;
  /** What the page announces for what was made. */
  doneMessage: (made: T) => string;
  /** The form: `show` keeps the dialog open on the secret, `finish` closes it (nothing to show). */
  form: (show: (made: T) => void, finish: (made: T) => void) => ReactNode;
  /** The secret, shown this once (usually a ShownOnce panel); `done` closes the dialog. */
  shown: (made: T, done: () => void) => ReactNode;
}

/**
 * A dialog that makes something and then shows its secret this once (Create client, Add
 * administrator, Add notification channel). While the secret is on screen a stray click beside
 * the dialog must not throw it away; closing it announces what was made.
 */
export function ShownOnceDialog<T>({
  open,
  onOpenChange,
  onDone,
  title,
  shownTitle,
  doneMessage,
  form,
  shown,
}: Props<T>) {
  const [made, setMade] = useState<T | null>(null);

  const onChange = (next: boolean) => {
    if (!next) {
      if (made !== null) onDone(doneMessage(made));
      setMade(null);
    }
    onOpenChange(next);
  };
  const finish = (value: T) => {
    onDone(doneMessage(value));
    onOpenChange(false);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onChange}
      title={made !== null ? (shownTitle ?? title) : title}
      closeOnOutsideClick={made === null}
    >
      {made !== null ? shown(made, () => onChange(false)) : form(setMade, finish)}
    </Dialog>
  );
}
