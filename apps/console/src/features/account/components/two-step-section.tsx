import { ZPasswordConfirmation } from '@reg/contracts/identity-api';
import { useState } from 'react';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { Field, fieldErrorText, FormError, SubmitButton } from '../../../components/ui/form.tsx';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { useOwnMfa, useTurnOffTotp } from '../api/two-step.ts';
import { TwoStepSetupDialog } from './two-step-setup.tsx';

function turnOffErrorText(error: unknown): string {
  if (isApiError(error, 'password_incorrect')) return 'The password is wrong.';
  if (isApiError(error, 'mfa_required')) return 'Your account requires two-step verification of every administrator.';
  if (isApiError(error)) return error.message;
  return 'Could not turn off two-step verification. Try again.';
}

function TurnOffDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const turnOff = useTurnOffTotp();
  const { register, handleSubmit, formState, reset } = useZodForm(ZPasswordConfirmation, { password: '' });
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (!next) {
          reset();
          turnOff.reset();
        }
        onOpenChange(next);
      }}
      title="Turn off two-step verification"
      description="Your recovery codes stop working. Confirm with your password."
    >
      <form
        className="stack"
        noValidate
        onSubmit={handleSubmit((values) => turnOff.mutate(values, { onSuccess: () => onOpenChange(false) }))}
      >
        <Field label="Password" error={fieldErrorText('Password', formState.errors.password)}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="current-password"
              data-autofocus
              {...register('password')}
            />
          )}
        </Field>
        <FormError message={turnOff.isError && turnOffErrorText(turnOff.error)} />
        <SubmitButton busy={turnOff.isPending} busyLabel="Turning off…">
          Turn off
        </SubmitButton>
      </form>
    </Dialog>
  );
}

/**
 * Two-step verification of one's own account: On or Off, setting it up, turning it off. `heading`
 * and `why` replace the usual words for a session that must set it up before anything else.
 */
export function TwoStepSection({
  heading = 'Two-step verification',
  level = 2,
  why,
  onEnabled,
}: {
  heading?: string;
  /** 1 when the section is the whole page (a session that must set it up). */
  level?: 1 | 2;
  why?: string;
  /** After the recovery codes are put away: a restricted session goes on from here. */
  onEnabled?: () => void;
}) {
  const Heading = level === 1 ? 'h1' : 'h2';
  const mfa = useOwnMfa();
  const [dialog, setDialog] = useState<'setup' | 'off' | null>(null);
  const enabled = mfa.data?.enabled;
  return (
    <section className="stack" aria-labelledby="two-step-heading">
      <Heading id="two-step-heading">{heading}</Heading>
      {why && <p>{why}</p>}
      {mfa.isPending && <Loading />}
      {mfa.isError && (
        <ErrorState title="Could not load two-step verification" error={mfa.error} onRetry={() => void mfa.refetch()} />
      )}
      {mfa.isSuccess && (
        <p>
          Two-step verification: <strong>{enabled ? 'On' : 'Off'}</strong>
          {enabled && ` (${mfa.data?.recoveryCodesLeft ?? 0} unused recovery codes)`}
        </p>
      )}
      {mfa.isSuccess &&
        (enabled ? (
          <button type="button" className="button" onClick={() => setDialog('off')}>
            Turn off two-step verification
          </button>
        ) : (
          <button type="button" className="button button-primary" onClick={() => setDialog('setup')}>
            Set up two-step verification
          </button>
        ))}
      <TwoStepSetupDialog
        open={dialog === 'setup'}
        onOpenChange={(open) => setDialog(open ? 'setup' : null)}
        {...(onEnabled && { onEnabled })}
      />
      <TurnOffDialog open={dialog === 'off'} onOpenChange={(open) => setDialog(open ? 'off' : null)} />
    </section>
  );
}
