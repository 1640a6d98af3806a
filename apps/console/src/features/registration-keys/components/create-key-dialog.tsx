import { MAX_KEY_DAYS, MAX_KEY_USES, type TCreatedRegistrationKey } from '@reg/contracts/registration-keys-api';
import { useId } from 'react';
import { CopyField, ShownOnce } from '../../../components/ui/copy-field.tsx';
import { Field, FormFooter, WholeNumberInput } from '../../../components/ui/form.tsx';
import { ShownOnceDialog, type ShownOnceDialogProps } from '../../../components/ui/shown-once-dialog.tsx';
import { ErrorNotice } from '../../../components/ui/states.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
import { useCreateRegistrationKey } from '../api/registration-keys.ts';
import { ZKeyForm } from './key-form.ts';

export function CreateKeyDialog(props: ShownOnceDialogProps) {
  return (
    <ShownOnceDialog<TCreatedRegistrationKey>
      {...props}
      title="Create registration key"
      doneMessage={(created) => `Registration key ${created.key.description} is created.`}
      form={(show) => <CreateKeyForm onCreated={show} />}
      shown={(created, done) => <CreatedKey created={created} onDone={done} />}
    />
  );
}

function CreateKeyForm({ onCreated }: { onCreated: (created: TCreatedRegistrationKey) => void }) {
  const create = useCreateRegistrationKey();
  const id = useId();
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors },
  } = useZodForm(ZKeyForm, {
    description: '',
    unlimited: false,
    maxUses: '10',
    expiresInDays: '30',
    approval: 'manual',
    tags: '',
  });
  const unlimited = watch('unlimited');
  const onSubmit = handleSubmit((request) => create.mutate(request, { onSuccess: onCreated }));

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <Field
        label="Description"
        hint="What the key is for, such as “Berlin rollout”. The list and the audit log show it."
        error={errors.description?.message}
      >
        {(control) => <input {...control} type="text" data-autofocus autoComplete="off" {...register('description')} />}
      </Field>
      <Field label="Maximum uses" error={errors.maxUses?.message}>
        {(control) => (
          <WholeNumberInput {...control} min={1} max={MAX_KEY_USES} disabled={unlimited} {...register('maxUses')} />
        )}
      </Field>
      <div className="checkbox">
        <input id={`${id}-unlimited`} type="checkbox" {...register('unlimited')} />
        <label htmlFor={`${id}-unlimited`}>Unlimited uses</label>
      </div>
      <Field
        label="Expires after (days)"
        hint={`From 1 to ${MAX_KEY_DAYS} days.`}
        error={errors.expiresInDays?.message}
      >
        {(control) => <WholeNumberInput {...control} min={1} max={MAX_KEY_DAYS} {...register('expiresInDays')} />}
      </Field>
      <fieldset className="field">
        <legend>Approval</legend>
        <label className="radio">
          <input type="radio" value="automatic" {...register('approval')} /> Approve automatically
        </label>
        <label className="radio">
          <input type="radio" value="manual" {...register('approval')} /> Require approval
        </label>
        <p className="muted small">
          With approval required, each server registering with the key waits under Pending approval on Product
          Registrations until an admin approves it.
        </p>
      </fieldset>
      <Field
        label="Tags"
        hint="Separated by commas or spaces, such as “berlin production”. Servers registered with the key get them."
      >
        {(control) => (
          <input
            {...control}
            type="text"
            autoComplete="off"
            aria-invalid={errors.tags ? true : undefined}
            {...register('tags')}
          />
        )}
      </Field>
      {/* An alert, so the bad tag is read out as soon as Create refuses it. */}
      <ErrorNotice message={errors.tags?.message} />
      <FormFooter
        error={create.isError && `Could not create the key: ${create.error.message}`}
        busy={create.isPending}
        busyLabel="Creating…"
      >
        Create
      </FormFooter>
    </form>
  );
}

function CreatedKey({ created, onDone }: { created: TCreatedRegistrationKey; onDone: () => void }) {
  return (
    <ShownOnce
      intro={
        <>
          Servers can now register with the key <strong className="wrap">{created.key.description}</strong>: run the
          command on each, or set the key in <code>LICENSE_SERVER_REGISTRATION_KEY</code>.
        </>
      }
      warning="The key is shown only now. Copy it and keep it somewhere safe: if it is lost, revoke this key and create a new one."
      onDone={onDone}
    >
      <CopyField label="Registration key" value={created.secret} copyWhat="key" />
      <CopyField label="Command" value={`license-server register --key ${created.secret}`} copyWhat="command" />
    </ShownOnce>
  );
}
