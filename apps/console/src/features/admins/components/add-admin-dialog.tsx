import { ADMIN_ROLES, type TAddedAdmin, type TAdminRole } from '@reg/contracts/admins-api';
import { useId, useState } from 'react';
import { FormFooter } from '../../../components/ui/busy-button.tsx';
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
  const emailId = useId();
  const roleName = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<TAdminRole>('full');
  const add = useAddAdmin();
  return (
    <form
      className="stack"
      onSubmit={(event) => {
        event.preventDefault();
        add.mutate({ email: email.trim(), role }, { onSuccess: onAdded });
      }}
    >
      <div className="field">
        <label htmlFor={emailId}>Email</label>
        <input
          id={emailId}
          type="email"
          required
          data-autofocus
          autoComplete="off"
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
      </div>
      <fieldset className="field">
        <legend>Role</legend>
        {ADMIN_ROLES.map((value) => (
          <label key={value} className="radio">
            <input
              type="radio"
              name={roleName}
              value={value}
              checked={role === value}
              onChange={() => setRole(value)}
            />{' '}
            {ROLE_LABELS[value]}
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
