import { zodResolver } from '@hookform/resolvers/zod';
import {
  ZCreateApiClientRequest,
  type TCreateApiClientRequest,
  type TCreatedApiClient,
} from '@reg/contracts/api-clients-api';
import { useId } from 'react';
import { useForm } from 'react-hook-form';
import { ShownOnceDialog, type ShownOnceDialogProps } from '../../../components/ui/shown-once-dialog.tsx';
import { useCreateApiClient } from '../api/create-api-client.ts';
import { CopyField, ShownOnce } from '../../../components/ui/copy-field.tsx';
import { FormFooter } from '../../../components/ui/busy-button.tsx';

export function CreateClientDialog(props: ShownOnceDialogProps) {
  return (
    <ShownOnceDialog<TCreatedApiClient>
      {...props}
      title="Create client"
      shownTitle="Client created"
      doneMessage={(created) => `API client ${created.client.name} is created.`}
      form={(show) => <CreateClientForm onCreated={show} />}
      shown={(created, done) => <CreatedClient created={created} onDone={done} />}
    />
  );
}

function CreateClientForm({ onCreated }: { onCreated: (created: TCreatedApiClient) => void }) {
  const nameId = useId();
  const hintId = useId();
  const create = useCreateApiClient();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<TCreateApiClientRequest>({ resolver: zodResolver(ZCreateApiClientRequest), defaultValues: { name: '' } });

  const onSubmit = handleSubmit(({ name }) => create.mutate({ name: name.trim() }, { onSuccess: onCreated }));
  const describedBy = errors.name ? `${hintId} ${nameId}-error` : hintId;

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <div className="field">
        <label htmlFor={nameId}>Name</label>
        <input
          id={nameId}
          type="text"
          data-autofocus
          autoComplete="off"
          aria-invalid={errors.name ? true : undefined}
          aria-describedby={describedBy}
          {...register('name')}
        />
        <p id={hintId} className="muted small">
          What the client is for, such as &ldquo;Cleanup script&rdquo;. The audit log shows it under this name.
        </p>
        {errors.name && (
          <p className="field-error" id={`${nameId}-error`}>
            Name {errors.name.message}.
          </p>
        )}
      </div>
      <FormFooter
        error={create.isError && `Could not create the client: ${create.error.message}`}
        busy={create.isPending}
        busyLabel="Creating…"
      >
        Create
      </FormFooter>
    </form>
  );
}

function CreatedClient({ created, onDone }: { created: TCreatedApiClient; onDone: () => void }) {
  return (
    <ShownOnce
      intro={
        <>
          <strong className="wrap">{created.client.name}</strong> can now get tokens with this client ID and secret.
        </>
      }
      warning="Copy the secret now and keep it somewhere safe. It will not be shown again: if it is lost, delete this client and create a new one."
      onDone={onDone}
    >
      <CopyField label="Client ID" value={created.clientId} copyWhat="client ID" />
      <CopyField label="Client secret" value={created.clientSecret} copyWhat="secret" />
    </ShownOnce>
  );
}
