import { useEffect, useRef, useState } from 'react';

/**
 * The ten recovery codes, shown this once: Copy (all of them), Download (a text file made in the
 * browser) and Done.
 */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  const intro = useRef<HTMLParagraphElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => intro.current?.focus(), []);
  const text = `${codes.join('\n')}\n`;

  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = 'recovery-codes.txt';
    link.click();
    URL.revokeObjectURL(url);
  };

  return (
    <div className="stack">
      <p ref={intro} tabIndex={-1} className="focus-target">
        Two-step verification is on. Keep these recovery codes somewhere safe: each signs you in once if you lose your
        authenticator app.
      </p>
      <ul className="code recovery-codes" aria-label="Recovery codes">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ul>
      <p className="notice notice-warning">These codes are shown this once.</p>
      <span role="status" className={copied === 'failed' ? 'field-error' : 'copy-feedback'}>
        {copied === 'copied' && 'Copied'}
        {copied === 'failed' && 'Could not copy: select the codes and press Ctrl+C (⌘C).'}
      </span>
      <div className="dialog-actions">
        <button
          type="button"
          className="button"
          onClick={() =>
            void (navigator.clipboard?.writeText(text) ?? Promise.reject(new Error('No clipboard'))).then(
              () => setCopied('copied'),
              () => setCopied('failed'),
            )
          }
        >
          Copy
        </button>
        <button type="button" className="button" onClick={download}>
          Download
        </button>
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
