import { ZCreateMuteRequest, type TCreateMuteRequest } from '@reg/contracts/mutes-api';
import { useId, useState } from 'react';
import { FormFooter } from '../../../components/ui/busy-button.tsx';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { Field, PlainForm } from '../../../components/ui/form.tsx';
import { useCreateMute, useMuteServers } from '../api/mutes.ts';

type Errors = Partial<Record<'scope' | 'from' | 'to' | 'reason', string>>;

/** A datetime-local value ("2026-12-07T14:30", the browser's time zone) for a time. */
const localInput = (at: Date) => {
  const local = new Date(at.getTime() - at.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
};
/** The time a datetime-local value means, as an ISO timestamp; '' when it is not one. */
const isoOf = (value: string) => {
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? '' : at.toISOString();
};

interface Props {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
}

export function AddMuteDialog({ open, onOpenChange, onDone }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Add maintenance window">
      {open && (
        <AddMuteForm
          onAdded={(message) => {
            onOpenChange(false);
            onDone(message);
          }}
        />
      )}
    </Dialog>
  );
}

function AddMuteForm({ onAdded }: { onAdded: (message: string) => void }) {
  const id = useId();
  const create = useCreateMute();
  const [one, setOne] = useState(false);
  const servers = useMuteServers(one);
  const [registrationId, setRegistrationId] = useState('');
  const [from, setFrom] = useState(() => localInput(new Date()));
  const [to, setTo] = useState(() => localInput(new Date(Date.now() + 2 * 3600_000)));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Errors>({});

  const onSubmit = () => {
    const request: TCreateMuteRequest = {
      scope: one ? { registrationId } : { all: true },
      from: isoOf(from),
      to: isoOf(to),
      reason: reason.trim(),
    };
    // The contract's schema checks the form: the page and the API refuse the same things.
    const parsed = ZCreateMuteRequest.safeParse(request);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) next[issue.path[0] as keyof Errors] ??= issue.message;
      setErrors(next);
      return;
    }
    setErrors({});
    const name = one ? servers.data?.items.find((r) => r.id === registrationId)?.serverName : 'all servers';
    create.mutate(request, {
      onSuccess: () => onAdded(`Notifications about ${name ?? 'the server'} are muted from ${from.replace('T', ' ')}.`),
    });
  };

  return (
    <PlainForm onSubmit={onSubmit}>
      <fieldset className="field">
        <legend>Servers</legend>
        <div className="choices">
          {[false, true].map((value) => (
            <label key={String(value)} className="choice">
              <input type="radio" name={`${id}-scope`} checked={one === value} onChange={() => setOne(value)} />
              {value ? 'One server' : 'All servers'}
            </label>
          ))}
        </div>
      </fieldset>
      {one && (
        <Field label="Server" error={errors.scope && 'Choose a server.'}>
          {(control) => (
            <select {...control} value={registrationId} onChange={(e) => setRegistrationId(e.target.value)}>
              <option value="">{servers.isPending ? 'Loading servers…' : 'Choose a server'}</option>
              {servers.data?.items.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.serverName}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      <Field label="From" error={errors.from && `From ${errors.from}.`}>
        {(control) => (
          <input {...control} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} />
        )}
      </Field>
      <Field label="To" error={errors.to && `To ${errors.to}.`}>
        {(control) => <input {...control} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} />}
      </Field>
      <Field label="Reason" error={errors.reason && `Reason ${errors.reason}.`}>
        {(control) => (
          <input
            {...control}
            type="text"
            data-autofocus
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        )}
      </Field>
      <FormFooter
        error={create.isError ? `Could not add the window: ${create.error.message}` : null}
        busy={create.isPending}
        busyLabel="Adding…"
      >
        Add
      </FormFooter>
    </PlainForm>
  );
}
