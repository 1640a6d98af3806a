import { ZCreateApiClientRequest, type TCreatedApiClient } from '@reg/contracts/api-clients-api';
import { ShownOnceDialog, type ShownOnceDialogProps } from '../../../components/ui/shown-once-dialog.tsx';
import { useCreateApiClient } from '../api/create-api-client.ts';
import { CopyField, ShownOnce } from '../../../components/ui/copy-field.tsx';
import { Field, fieldErrorText, FormFooter } from '../../../components/ui/form.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';

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
  const create = useCreateApiClient();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useZodForm(ZCreateApiClientRequest, { name: '' });

  const onSubmit = handleSubmit(({ name }) => create.mutate({ name: name.trim() }, { onSuccess: onCreated }));

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <Field
        label="Name"
        hint={
          <>What the client is for, such as &ldquo;Cleanup script&rdquo;. The audit log shows it under this name.</>
        }
        error={fieldErrorText('Name', errors.name)}
      >
        {(control) => <input {...control} type="text" data-autofocus autoComplete="off" {...register('name')} />}
      </Field>
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
