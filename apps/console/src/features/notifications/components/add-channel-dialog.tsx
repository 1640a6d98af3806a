import {
  NOTIFICATION_EVENTS,
  ZCreateNotificationChannelRequest,
  type TCreatedNotificationChannel,
  type TNotificationEvent,
} from '@reg/contracts/notifications-api';
import { useId, useState } from 'react';
import { CopyField, ShownOnce } from '../../../components/ui/copy-field.tsx';
import { FormFooter, PlainForm } from '../../../components/ui/form.tsx';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { ShownOnceDialog, type ShownOnceDialogProps } from '../../../components/ui/shown-once-dialog.tsx';
import { useCreateNotificationChannel } from '../api/create-channel.ts';
import { destinationOf, EVENT_WORDS } from './event-words.ts';

export function AddChannelDialog(props: ShownOnceDialogProps) {
  return (
    <ShownOnceDialog<TCreatedNotificationChannel>
      {...props}
      title="Add notification channel"
      shownTitle="Channel added"
      doneMessage={(channel) =>
        channel.confirmed
          ? `Notifications now go to ${destinationOf(channel)}.`
          : `A confirmation link went to ${destinationOf(channel)}: notifications go there once someone follows it.`
      }
      // Only a webhook has a signing secret to show; Slack, Teams and email channels are done at once.
      form={(show, finish) => (
        <AddChannelForm onAdded={(channel) => (channel.secret ? show(channel) : finish(channel))} />
      )}
      shown={(channel, done) => <AddedChannel channel={channel} onDone={done} />}
    />
  );
}

type Errors = Partial<Record<'url' | 'address' | 'events', string>>;
type ChannelKind = 'webhook' | 'slack' | 'teams' | 'email';

/** The radio's words, in the order the page shows them. */
const KINDS: [ChannelKind, string][] = [
  ['webhook', 'Webhook'],
  ['slack', 'Slack'],
  ['teams', 'Microsoft Teams'],
  ['email', 'Email'],
];

const PLACEHOLDERS: Record<ChannelKind, string> = {
  webhook: 'https://hooks.example.com/license-servers',
  slack: 'https://hooks.slack.com/services/…',
  teams: 'https://…/workflows/…/triggers/manual/paths/invoke?…',
  email: 'it-ops@example.com',
};

function AddChannelForm({ onAdded }: { onAdded: (channel: TCreatedNotificationChannel) => void }) {
  const id = useId();
  const create = useCreateNotificationChannel();
  const [type, setType] = useState<ChannelKind>('webhook');
  const [destination, setDestination] = useState('');
  const [events, setEvents] = useState<TNotificationEvent[]>(['server.not_reporting', 'server.reporting_again']);
  const [errors, setErrors] = useState<Errors>({});
  const field = type === 'email' ? 'address' : 'url';
  const fieldLabel = type === 'email' ? 'Email address' : 'URL';

  const onSubmit = () => {
    const request =
      type === 'email' ? { type, address: destination.trim(), events } : { type, url: destination.trim(), events };
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
    <PlainForm onSubmit={onSubmit}>
      <fieldset className="field">
        <legend>Send to</legend>
        <div className="choices">
          {KINDS.map(([value, words]) => (
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
              {words}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-destination`}>{fieldLabel}</label>
        <input
          id={`${id}-destination`}
          type={type === 'email' ? 'email' : 'url'}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          placeholder={PLACEHOLDERS[type]}
          value={destination}
          onChange={(event) => setDestination(event.target.value)}
          aria-invalid={errors[field] ? true : undefined}
          aria-describedby={errors[field] ? `${id}-destination-error` : undefined}
        />
        {errors[field] && (
          <p className="field-error" id={`${id}-destination-error`}>
            {fieldLabel} {errors[field]}.
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
    </PlainForm>
  );
}

function AddedChannel({ channel, onDone }: { channel: TCreatedNotificationChannel; onDone: () => void }) {
  return (
    <ShownOnce
      intro={
        <>
          Webhooks to <strong className="wrap">{channel.url}</strong> are signed with this secret (Standard Webhooks),
          so the receiver can check that they come from here.
        </>
      }
      warning="Copy the secret now and keep it with the receiver. It will not be shown again: if it is lost, delete this channel and add it again."
      onDone={onDone}
    >
      <CopyField label="Signing secret" value={channel.secret ?? ''} copyWhat="signing secret" />
    </ShownOnce>
  );
}
