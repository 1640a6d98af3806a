import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

interface CopyFieldProps {
  label: string;
  value: string;
  /** The button's accessible name ("Copy secret"): its visible text is "Copy", the rest is for screen readers. */
  copyWhat: string;
}

/** A read-only value with a Copy button; "Copied" (or how to copy by hand) is announced beside it. */
export function CopyField({ label, value, copyWhat }: CopyFieldProps) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<CopyState>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = window.setTimeout(() => setState('idle'), 2500);
    return () => window.clearTimeout(timer);
  }, [state]);

  const onCopy = async () => {
    try {
      // Missing outside a secure context (plain http on another host): then the text is selected instead.
      if (!navigator.clipboard) throw new Error('No clipboard');
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      input.current?.select();
      setState('failed');
    }
  };

  return (
    <div className="field">
      <label htmlFor={inputId}>{label}</label>
      <div className="copy-field">
        <input
          ref={input}
          id={inputId}
          className="code"
          type="text"
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" className="button" onClick={() => void onCopy()}>
          Copy<span className="visually-hidden"> {copyWhat}</span>
        </button>
      </div>
      <span role="status" className={state === 'failed' ? 'field-error' : 'copy-feedback'}>
        {state === 'copied' && 'Copied'}
        {state === 'failed' && 'Could not copy: the text is selected, press Ctrl+C (⌘C) to copy it.'}
      </span>
    </div>
  );
}

/**
 * A secret shown this once (a client secret, a generated password): what it is for, the values
 * with Copy buttons, the warning that it won't be shown again, and Done. Focus starts on the
 * intro, since the button that had it is gone.
 */
export function ShownOnce({
  intro,
  warning,
  onDone,
  children,
}: {
  intro: ReactNode;
  warning: string;
  onDone: () => void;
  children: ReactNode;
}) {
  const introRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => introRef.current?.focus(), []);
  return (
    <div className="stack">
      <p ref={introRef} tabIndex={-1} className="focus-target">
        {intro}
      </p>
      {children}
      <p className="notice notice-warning">{warning}</p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
