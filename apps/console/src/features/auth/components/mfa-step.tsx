import { useState } from 'react';
import { isApiError } from '../../../lib/api-client.ts';
import { minutesToWait, plural } from '../../../lib/format.ts';
import { useCompleteSignIn } from '../api/sign-in.ts';
import { Field, FormError, PlainForm, SubmitButton } from '../../../components/ui/form.tsx';

function mfaErrorText(error: unknown): string {
  if (isApiError(error, 'mfa_code_invalid')) return 'The code is wrong, was used already, or has expired.';
  if (isApiError(error, 'unauthenticated')) return 'The sign-in expired. Sign in again with your password.';
  if (isApiError(error, 'rate_limited'))
    return `Too many failed sign-ins. Wait ${plural(minutesToWait(error.retryAfter), 'minute', 'minutes')} and try again.`;
  if (isApiError(error)) return `Could not sign in: ${error.message}`;
  return 'Could not sign in. Try again.';
}

/**
 * The second step of a password sign-in: a code from the authenticator app, or a recovery code.
 * One field and a plain form: the server checks the code (zod is not loaded on this page).
 */
export function MfaStep({ onSignedIn, onRestart }: { onSignedIn: () => void; onRestart: () => void }) {
  const complete = useCompleteSignIn();
  const [recovery, setRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [missing, setMissing] = useState(false);
  const label = recovery ? 'Recovery code' : 'Verification code';
  const expired = complete.isError && isApiError(complete.error, 'unauthenticated');

  return (
    <PlainForm
      onSubmit={() => {
        const typed = value.trim();
        setMissing(!typed);
        if (!typed) return;
        complete.mutate(recovery ? { recoveryCode: typed } : { code: typed }, { onSuccess: onSignedIn });
      }}
    >
      <h2>Two-step verification</h2>
      <p>
        {recovery
          ? 'Enter one of the recovery codes you saved when you set up two-step verification.'
          : 'Enter the 6-digit code from your authenticator app.'}
      </p>
      <FormError message={complete.isError && mfaErrorText(complete.error)} />
      <Field key={label} label={label} error={missing ? `${label} is required` : null}>
        {(control) => (
          <input
            {...control}
            type="text"
            autoFocus
            autoComplete="one-time-code"
            inputMode={recovery ? 'text' : 'numeric'}
            value={value}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
      </Field>
      <SubmitButton busy={complete.isPending} busyLabel="Verifying…">
        Verify
      </SubmitButton>
      <button
        type="button"
        className="button"
        onClick={() => {
          setRecovery((r) => !r);
          setValue('');
          complete.reset();
        }}
      >
        {recovery ? 'Use a verification code' : 'Use a recovery code'}
      </button>
      {expired && (
        <button type="button" className="button" onClick={onRestart}>
          Sign in again
        </button>
      )}
    </PlainForm>
  );
}
