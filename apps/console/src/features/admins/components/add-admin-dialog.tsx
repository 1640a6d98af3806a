import { ADMIN_ROLES, ZAddAdminRequest, type TAddedAdmin } from '@reg/contracts/admins-api';
import { Field, fieldErrorText, FormFooter } from '../../../components/ui/form.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
import { ShownOnceDialog, type ShownOnceDialogProps } from '../../../components/ui/shown-once-dialog.tsx';
import { CopyField, ShownOnce } from '../../../components/ui/copy-field.tsx';
import { ROLE_LABELS, useAddAdmin } from '../api/admins.ts';

/** Email and role, then the generated password, shown this once with a copy button. */
export function AddAdminDialog(props: ShownOnceDialogProps) {
  return (
    <ShownOnceDialog<TAddedAdmin>
      {...props}
      title="Add administrator"
      doneMessage={(added) => `${added.admin.email} is added as an administrator.`}
      form={(show) => <AddAdminForm onAdded={show} />}
      shown={(added, done) => <AddedAdmin added={added} onDone={done} />}
    />
  );
}

function AddAdminForm({ onAdded }: { onAdded: (added: TAddedAdmin) => void }) {
  const add = useAddAdmin();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useZodForm(ZAddAdminRequest, { email: '', role: 'full' });
  const onSubmit = handleSubmit((request) => add.mutate(request, { onSuccess: onAdded }));
  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <Field label="Email" error={fieldErrorText('Email', errors.email)}>
        {(control) => (
          <input
            {...control}
            type="email"
            data-autofocus
            autoComplete="off"
            {...register('email', { setValueAs: (value: string) => value.trim() })}
          />
        )}
      </Field>
      <fieldset className="field">
        <legend>Role</legend>
        {ADMIN_ROLES.map((value) => (
          <label key={value} className="radio">
            <input type="radio" value={value} {...register('role')} /> {ROLE_LABELS[value]}
          </label>
        ))}
        <p className="muted small">Read-only administrators see every page and can export, but change nothing.</p>
      </fieldset>
      <FormFooter
        error={add.isError && `Could not add the administrator: ${add.error.message}`}
        busy={add.isPending}
        busyLabel="Adding…"
      >
        Add
      </FormFooter>
    </form>
  );
}

function AddedAdmin({ added, onDone }: { added: TAddedAdmin; onDone: () => void }) {
  return (
    <ShownOnce
      intro={
        <>
          <strong className="wrap">{added.admin.email}</strong> can now sign in with this password.
        </>
      }
      warning="Copy the password now and give it to them safely. It will not be shown again."
      onDone={onDone}
    >
      <CopyField label="Password" value={added.password} copyWhat="password" />
    </ShownOnce>
  );
}
