import { zodResolver } from '@hookform/resolvers/zod';
import {
  ZCreateApiClientRequest,
  type TCreateApiClientRequest,
  type TCreatedApiClient,
} from '@reg/contracts/api-clients-api';
import { useEffect, useId, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { useCreateApiClient } from '../api/create-api-client.ts';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { FormFooter } from '../../../components/ui/busy-button.tsx';

interface CreateClientDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
}

export function CreateClientDialog({ open, onOpenChange, onDone }: CreateClientDialogProps) {
  const [created, setCreated] = useState<TCreatedApiClient | null>(null);

  const onChange = (next: boolean) => {
    if (!next) {
      if (created) onDone(`API client ${created.client.name} is created.`);
      setCreated(null);
    }
    onOpenChange(next);
  };

  return (
    <Dialog
      open={open}
      onOpenChange={onChange}
      title={created ? 'Client created' : 'Create client'}
      // The secret is on screen once: a stray click beside the dialog must not throw it away.
      closeOnOutsideClick={!created}
    >
      {created ? (
        <CreatedClient created={created} onDone={() => onChange(false)} />
      ) : (
        <CreateClientForm onCreated={setCreated} />
      )}
    </Dialog>
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
  // The Create button that had focus is gone: start reading here, at the top of what replaced it.
  const intro = useRef<HTMLParagraphElement>(null);
  useEffect(() => intro.current?.focus(), []);

  return (
    <div className="stack">
      <p ref={intro} tabIndex={-1} className="focus-target">
        <strong className="wrap">{created.client.name}</strong> can now get tokens with this client ID and secret.
      </p>
      <CopyField label="Client ID" value={created.clientId} copyWhat="client ID" />
      <CopyField label="Client secret" value={created.clientSecret} copyWhat="secret" />
      <p className="notice notice-warning">
        Copy the secret now and keep it somewhere safe. It will not be shown again: if it is lost, delete this client
        and create a new one.
      </p>
      <div className="dialog-actions">
        <button type="button" className="button button-primary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}
