import type { TCodePreview } from '@reg/contracts/console-api';
import { formatCode } from '@reg/contracts/short-code';
import { useEffect, useState } from 'react';
import { BusyButton } from '../../../components/ui/busy-button.tsx';
import { ErrorNotice } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { ServerDetails } from './server-details.tsx';
import { useCreateRegistration } from '../api/create-registration.ts';
import { useDenyRegistration } from '../api/deny-registration.ts';
import { codeErrorText } from './code-errors.ts';

function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

function TimeLeft({ expiresAt }: { expiresAt: string }) {
  const seconds = Math.max(0, Math.floor((Date.parse(expiresAt) - useNow()) / 1000));
  if (seconds === 0) return <span className="text-danger">Expired</span>;
  const mm = String(Math.floor(seconds / 60)).padStart(2, '0');
  const ss = String(seconds % 60).padStart(2, '0');
  // The visible clock ticks every second; screen readers read it when they reach it, not each tick.
  return (
    <time dateTime={`PT${seconds}S`} className={seconds < 60 ? 'text-danger' : undefined}>
      {mm}:{ss}
    </time>
  );
}

interface ReviewStepProps {
  code: string;
  preview: TCodePreview;
  onDone: (message: string) => void;
  onBack: () => void;
}

export function ReviewStep({ code, preview, onDone, onBack }: ReviewStepProps) {
  const create = useCreateRegistration();
  const deny = useDenyRegistration();
  const busy = create.isPending || deny.isPending;
  const error = create.error ?? deny.error;

  const onRegister = () => {
    deny.reset();
    create.mutate(code, { onSuccess: (registration) => onDone(`${registration.serverName} is registered.`) });
  };
  const onDeny = () => {
    create.reset();
    deny.mutate(code, { onSuccess: () => onDone('The registration request was denied.') });
  };

  return (
    <div className="stack">
      <p>
        Code <strong className="code">{formatCode(code)}</strong> asks to register this server:
      </p>
      <ServerDetails server={preview}>
        <dt>Requested at</dt>
        <dd>{formatDateTime(preview.requestedAt)}</dd>
        <dt>Requested from</dt>
        <dd className="wrap">{preview.requestedFrom}</dd>
        <dt>Time left</dt>
        <dd>
          <TimeLeft expiresAt={preview.expiresAt} />
        </dd>
      </ServerDetails>
      <p className="notice notice-warning">
        Register only a server you started registering yourself. If someone sent you this code or link, do not register
        it.
      </p>
      <ErrorNotice message={error && codeErrorText(error)} />
      <div className="dialog-actions">
        <button type="button" className="button button-link" onClick={onBack} disabled={busy}>
          Use another code
        </button>
        <span className="spacer" />
        <BusyButton className="button" onClick={onDeny} disabled={busy} busy={deny.isPending}>
          Deny
        </BusyButton>
        <BusyButton className="button button-primary" onClick={onRegister} disabled={busy} busy={create.isPending}>
          Register
        </BusyButton>
      </div>
    </div>
  );
}
