import {
  NOTIFICATION_EVENTS,
  ZCreateNotificationChannelRequest,
  type TCreatedNotificationChannel,
  type TNotificationEvent,
} from '@reg/contracts/notifications-api';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { FormFooter } from '../../../components/ui/busy-button.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { useCreateNotificationChannel } from '../api/create-channel.ts';
import { destinationOf, EVENT_WORDS } from './event-words.ts';

interface AddChannelDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
}

export function AddChannelDialog({ open, onOpenChange, onDone }: AddChannelDialogProps) {
  const [created, setCreated] = useState<TCreatedNotificationChannel | null>(null);

  const onChange = (next: boolean) => {
    if (!next) {
      if (created) onDone(`Notifications now go to ${destinationOf(created)}.`);
      setCreated(null);
    }
    onOpenChange(next);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onChange}
      title={created ? 'Channel added' : 'Add notification channel'}
      // The signing secret is on screen once: a stray click beside the dialog must not throw it away.
      closeOnOutsideClick={!created}
    >
      {created ? (
        <AddedChannel channel={created} onDone={() => onChange(false)} />
      ) : (
        <AddChannelForm
          onAdded={(channel) => {
            if (channel.secret) setCreated(channel);
            else {
              onDone(`Notifications now go to ${destinationOf(channel)}.`);
              onOpenChange(false);
            }
          }}
        />
      )}
    </Dialog>
  );
}

type Errors = Partial<Record<'url' | 'address' | 'events', string>>;

function AddChannelForm({ onAdded }: { onAdded: (channel: TCreatedNotificationChannel) => void }) {
  const id = useId();
  const create = useCreateNotificationChannel();
  const [type, setType] = useState<'webhook' | 'email'>('webhook');
  const [destination, setDestination] = useState('');
  const [events, setEvents] = useState<TNotificationEvent[]>(['server.not_reporting', 'server.reporting_again']);
  const [errors, setErrors] = useState<Errors>({});
  const field = type === 'webhook' ? 'url' : 'address';

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const request =
      type === 'webhook' ? { type, url: destination.trim(), events } : { type, address: destination.trim(), events };
    // The contract's own schema checks the form, so the page and the API refuse the same things.
    const parsed = ZCreateNotificationChannelRequest.safeParse(request);
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0] as keyof Errors;
        next[key] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    create.mutate(request, { onSuccess: onAdded });
  };

  const toggle = (name: TNotificationEvent, checked: boolean) =>
    setEvents((current) => (checked ? [...current, name] : current.filter((e) => e !== name)));

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <fieldset className="field">
        <legend>Send to</legend>
        <div className="choices">
          {(['webhook', 'email'] as const).map((value) => (
            <label key={value} className="choice">
              <input
                type="radio"
                name={`${id}-type`}
                value={value}
                checked={type === value}
                onChange={() => {
                  setType(value);
                  setErrors({});
                }}
              />
              {value === 'webhook' ? 'Webhook' : 'Email'}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-destination`}>{type === 'webhook' ? 'URL' : 'Email address'}</label>
        <input
          id={`${id}-destination`}
          type={type === 'webhook' ? 'url' : 'email'}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          placeholder={type === 'webhook' ? 'https://hooks.example.com/license-servers' : 'it-ops@example.com'}
          value={destination}
          onChange={(event) => setDestination(event.target.value)}
          aria-invalid={errors[field] ? true : undefined}
          aria-describedby={errors[field] ? `${id}-destination-error` : undefined}
        />
        {errors[field] && (
          <p className="field-error" id={`${id}-destination-error`}>
            {type === 'webhook' ? 'URL' : 'Email address'} {errors[field]}.
          </p>
        )}
      </div>
      <fieldset className="field" aria-describedby={errors.events ? `${id}-events-error` : undefined}>
        <legend>Events</legend>
        <div className="choices choices-stacked">
          {NOTIFICATION_EVENTS.map((name) => (
            <Checkbox
              key={name}
              label={EVENT_WORDS[name]}
              checked={events.includes(name)}
              onChange={(checked) => toggle(name, checked)}
            />
          ))}
        </div>
        {errors.events && (
          <p className="field-error" id={`${id}-events-error`}>
            Events: {errors.events}.
          </p>
        )}
      </fieldset>
      <FormFooter
        error={create.isError ? `Could not add the channel: ${create.error.message}` : null}
        busy={create.isPending}
        busyLabel="Adding…"
      >
        Add
      </FormFooter>
    </form>
  );
}

function AddedChannel({ channel, onDone }: { channel: TCreatedNotificationChannel; onDone: () => void }) {
  // The Add button that had focus is gone: start reading here, at the top of what replaced it.
  const intro = useRef<HTMLParagraphElement>(null);
  useEffect(() => intro.current?.focus(), []);

  return (
    <div className="stack">
      <p ref={intro} tabIndex={-1} className="focus-target">
        Webhooks to <strong className="wrap">{channel.url}</strong> are signed with this secret (Standard Webhooks), so
        the receiver can check that they come from here.
      </p>
      <CopyField label="Signing secret" value={channel.secret ?? ''} copyWhat="signing secret" />
      <p className="notice notice-warning">
        Copy the secret now and keep it with the receiver. It will not be shown again: if it is lost, delete this
        channel and add it again.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
