import type { TAdmin, TInvitedAdmin } from '@reg/contracts/admins-api';
import { FormFooter, PlainForm } from '../../../components/ui/form.tsx';
import { ShownOnceDialog, type ShownOnceDialogProps } from '../../../components/ui/shown-once-dialog.tsx';
import { useRenewInvitation } from '../api/admins.ts';
import { AddedAdmin } from './add-admin-dialog.tsx';

/** A new link for an invited admin (the earlier one stops working), shown once like the first. */
export function RenewInvitationDialog({ admin, ...props }: ShownOnceDialogProps & { admin: TAdmin | null }) {
  return (
    <ShownOnceDialog<TInvitedAdmin>
      {...props}
      title="Renew invitation"
      doneMessage={(renewed) => `A new invitation for ${renewed.admin.email} is made.`}
      form={(show) => <RenewForm admin={admin} onRenewed={show} />}
      shown={(renewed, done) => <AddedAdmin added={renewed} onDone={done} />}
    />
  );
}

function RenewForm({ admin, onRenewed }: { admin: TAdmin | null; onRenewed: (renewed: TInvitedAdmin) => void }) {
  const renew = useRenewInvitation();
  return (
    <PlainForm
      onSubmit={() => {
        if (admin) renew.mutate(admin.id, { onSuccess: onRenewed });
      }}
    >
      <p>
        A new link for <strong className="wrap">{admin?.email}</strong>, valid 72 hours. The earlier link stops working.
      </p>
      <FormFooter
        error={renew.isError && `Could not renew the invitation: ${renew.error.message}`}
        busy={renew.isPending}
        busyLabel="Renewing…"
      >
        Renew invitation
      </FormFooter>
    </PlainForm>
  );
}
