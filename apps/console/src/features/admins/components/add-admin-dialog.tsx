import { ADMIN_ROLES, ZAddAdminRequest, type TInvitedAdmin } from '@reg/contracts/admins-api';
import { Field, fieldErrorText, FormFooter } from '../../../components/ui/form.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
import { ShownOnceDialog, type ShownOnceDialogProps } from '../../../components/ui/shown-once-dialog.tsx';
import { CopyField, ShownOnce } from '../../../components/ui/copy-field.tsx';
import { ROLE_LABELS, useAddAdmin } from '../api/admins.ts';

/** Email and role, then the invitation link, shown this once with a copy button. */
export function InviteAdminDialog(props: ShownOnceDialogProps) {
  return (
    <ShownOnceDialog<TInvitedAdmin>
      {...props}
      title="Invite administrator"
      doneMessage={(added) => `${added.admin.email} is invited as an administrator.`}
      form={(show) => <AddAdminForm onAdded={show} />}
      shown={(added, done) => <AddedAdmin added={added} onDone={done} />}
    />
  );
}

function AddAdminForm({ onAdded }: { onAdded: (added: TInvitedAdmin) => void }) {
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
        error={add.isError && `Could not invite the administrator: ${add.error.message}`}
        busy={add.isPending}
        busyLabel="Sending…"
      >
        Send invitation
      </FormFooter>
    </form>
  );
}

/** The link once: the invitee opens it to choose their own password (72 hours, single use). */
export function AddedAdmin({ added, onDone }: { added: TInvitedAdmin; onDone: () => void }) {
  return (
    <ShownOnce
      intro={
        <>
          <strong className="wrap">{added.admin.email}</strong> can accept with this link within 72 hours.
          {added.emailSent && <span className="block">Email sent</span>}
        </>
      }
      warning="Copy the link now if you give it to them yourself. It will not be shown again."
      onDone={onDone}
    >
      <CopyField label="Invitation link" value={added.invitationUrl} copyWhat="link" />
    </ShownOnce>
  );
}
