import { ZTotpConfirmRequest } from '@reg/contracts/identity-api';
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { Field, fieldErrorText, FormError, SubmitButton } from '../../../components/ui/form.tsx';
import { Loading } from '../../../components/ui/states.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
import { isApiError } from '../../../lib/api-client.ts';
import { useConfirmTotp, useStartTotp } from '../api/two-step.ts';
import { RecoveryCodes } from './recovery-codes.tsx';

function confirmErrorText(error: unknown): string {
  if (isApiError(error, 'mfa_code_invalid')) return 'The code is wrong, was used already, or has expired.';
  if (isApiError(error)) return error.message;
  return 'Could not turn on two-step verification. Try again.';
}

/** The QR code of the otpauth URL, drawn in the browser (`qrcode`): the secret never leaves it. */
function QrImage({ url }: { url: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    void QRCode.toDataURL(url, { margin: 1, width: 200 }).then((data) => live && setSrc(data));
    return () => {
      live = false;
    };
  }, [url]);
  return src ? <img src={src} width={200} height={200} alt="QR code for your authenticator app" /> : <Loading />;
}

/**
 * "Set up two-step verification": a new secret as a QR code and as text, a code from the app to
 * confirm it, then the recovery codes this once.
 */
export function TwoStepSetupDialog({
  open,
  onOpenChange,
  onEnabled,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Closed once the recovery codes were shown: two-step verification is on. */
  onEnabled?: () => void;
}) {
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const { register, handleSubmit, formState } = useZodForm(ZTotpConfirmRequest, { code: '' });
  const { mutate: begin, reset: resetStart } = start;
  const { reset: resetConfirm } = confirm;

  useEffect(() => {
    if (!open) return;
    resetConfirm();
    begin();
  }, [open, begin, resetConfirm]);

  const codes = confirm.data?.recoveryCodes;
  const close = (next: boolean) => {
    if (!next) resetStart();
    onOpenChange(next);
    if (!next && codes) onEnabled?.();
  };

  return (
    <Dialog open={open} onOpenChange={close} title="Set up two-step verification" closeOnOutsideClick={false}>
      {codes ? (
        <RecoveryCodes codes={codes} onDone={() => close(false)} />
      ) : start.isError ? (
        <FormError message={isApiError(start.error) ? start.error.message : 'Could not start. Try again.'} />
      ) : !start.data ? (
        <Loading />
      ) : (
        <form className="stack" noValidate onSubmit={handleSubmit((values) => confirm.mutate(values))}>
          <p>
            Scan the QR code with your authenticator app, or enter the secret by hand. Then enter the code it shows.
          </p>
          <QrImage url={start.data.otpauthUrl} />
          <CopyField label="Secret" value={start.data.secret} copyWhat="secret" />
          <Field label="Verification code" error={fieldErrorText('Verification code', formState.errors.code)}>
            {(control) => (
              <input
                {...control}
                type="text"
                inputMode="numeric"
                autoComplete="one-time-code"
                data-autofocus
                {...register('code')}
              />
            )}
          </Field>
          <FormError message={confirm.isError && confirmErrorText(confirm.error)} />
          <SubmitButton busy={confirm.isPending} busyLabel="Verifying…">
            Verify
          </SubmitButton>
        </form>
      )}
    </Dialog>
  );
}
