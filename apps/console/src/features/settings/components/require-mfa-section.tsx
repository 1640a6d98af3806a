import type { TCustomerSettings } from '@reg/contracts/settings-api';
import { useState } from 'react';
import { Checkbox } from '../../../components/ui/checkbox.tsx';
import { FormError, PlainForm, SubmitButton } from '../../../components/ui/form.tsx';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useCanChange } from '../../auth/use-can-change.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { useSaveSettings, useSettings } from '../api/settings.ts';

function saveErrorText(error: unknown): string {
  if (isApiError(error, 'mfa_not_enabled'))
    return 'Turn on two-step verification for yourself first (Account), so you are not locked out.';
  if (isApiError(error)) return error.message;
  return 'Could not save. Try again.';
}

function RequireMfaForm({ saved }: { saved: TCustomerSettings }) {
  const save = useSaveSettings();
  const canChange = useCanChange();
  const [required, setRequired] = useState(saved.requireMfa);
  return (
    <PlainForm onSubmit={() => save.mutate({ requireMfa: required })}>
      <Checkbox
        label="Require two-step verification for all administrators"
        checked={required}
        onChange={setRequired}
      />
      <p className="hint">
        Administrators who sign in with a password and have not set it up must do so before anything else. Single
        sign-on and API clients are not affected.
      </p>
      <FormError message={save.isError && saveErrorText(save.error)} />
      {save.isSuccess && <p role="status">Saved.</p>}
      {canChange && (
        <SubmitButton busy={save.isPending} busyLabel="Saving…">
          Save
        </SubmitButton>
      )}
    </PlainForm>
  );
}

/** Settings > Sign-in: require two-step verification of every administrator of the account. */
export function RequireMfaSection() {
  const settings = useSettings();
  return (
    <section className="stack" aria-labelledby="require-mfa-heading">
      <h2 id="require-mfa-heading">Two-step verification</h2>
      {settings.isPending && <Loading />}
      {settings.isError && (
        <ErrorState
          title="Could not load the settings"
          error={settings.error}
          onRetry={() => void settings.refetch()}
        />
      )}
      {settings.isSuccess && <RequireMfaForm saved={settings.data} />}
    </section>
  );
}
