import { z } from 'zod';
import { Field, fieldErrorText, FormError, SubmitButton } from '../../../components/ui/form.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';

const schemaFor = (withCurrent: boolean) =>
  z
    .object({
      currentPassword: withCurrent ? z.string().min(1, 'is required').max(256) : z.string(),
      newPassword: z.string().min(1, 'is required').max(256, 'must be at most 256 characters'),
      confirmPassword: z.string(),
    })
    .refine((v) => v.newPassword === v.confirmPassword, {
      message: 'must match the new password',
      path: ['confirmPassword'],
    });
const ZNew = schemaFor(false);
const ZChange = schemaFor(true);

interface NewPasswordValues {
  currentPassword?: string;
  newPassword: string;
}

/**
 * "New password" and "Confirm new password" (with "Current password" when changing one): the
 * invitation, the reset and the account page choose a password alike. The policy is the
 * server's (12 to 256 characters, not common, not the email's name); its refusal shows as `error`.
 */
export function NewPasswordForm({
  withCurrent = false,
  submitLabel,
  busyLabel,
  busy,
  error,
  onSubmit,
}: {
  withCurrent?: boolean;
  submitLabel: string;
  busyLabel: string;
  busy: boolean;
  error: string | false | null;
  onSubmit: (values: NewPasswordValues) => void;
}) {
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useZodForm(withCurrent ? ZChange : ZNew, { currentPassword: '', newPassword: '', confirmPassword: '' });
  const submit = handleSubmit((values) =>
    onSubmit({ newPassword: values.newPassword, ...(withCurrent && { currentPassword: values.currentPassword }) }),
  );
  return (
    <form className="stack" onSubmit={submit} noValidate>
      <FormError message={error} />
      {withCurrent && (
        <Field label="Current password" error={fieldErrorText('Current password', errors.currentPassword)}>
          {(control) => (
            <input {...control} type="password" autoComplete="current-password" {...register('currentPassword')} />
          )}
        </Field>
      )}
      <Field
        label="New password"
        hint="12 to 256 characters; not a common password and not your email's name."
        error={fieldErrorText('New password', errors.newPassword)}
      >
        {(control) => <input {...control} type="password" autoComplete="new-password" {...register('newPassword')} />}
      </Field>
      <Field label="Confirm new password" error={fieldErrorText('Confirm new password', errors.confirmPassword)}>
        {(control) => (
          <input {...control} type="password" autoComplete="new-password" {...register('confirmPassword')} />
        )}
      </Field>
      <SubmitButton busy={busy} busyLabel={busyLabel}>
        {submitLabel}
      </SubmitButton>
    </form>
  );
}
