import { ZPasswordResetRequest } from '@reg/contracts/identity-api';
import { Link } from 'react-router';
import { Field, fieldErrorText, FormError, SubmitButton } from '../../components/ui/form.tsx';
import { useZodForm } from '../../components/ui/use-zod-form.ts';
import { paths } from '../../config/paths.ts';
import { useRequestPasswordReset } from '../../features/account/api/password-reset.ts';
import { isApiError } from '../../lib/api-client.ts';
import { CardPage } from '../../components/ui/card-page.tsx';

export function ForgotPasswordRoute() {
  const request = useRequestPasswordReset();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useZodForm(ZPasswordResetRequest, { email: '' });
  const onSubmit = handleSubmit((body) => request.mutate(body));
  return (
    <CardPage title="Forgot password">
      {request.isSuccess ? (
        // The same words for any address: the page must not tell who is an administrator.
        <p role="status">
          If this address belongs to an administrator, a link to reset the password is on its way. It works for 30
          minutes.
        </p>
      ) : (
        <form className="stack" onSubmit={onSubmit} noValidate>
          <FormError
            message={
              request.isError &&
              (isApiError(request.error, 'rate_limited')
                ? 'Too many reset requests. Wait a while and try again.'
                : `Could not send the link: ${request.error.message}`)
            }
          />
          <Field label="Email" error={fieldErrorText('Email', errors.email)}>
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="username"
                {...register('email', { setValueAs: (v: string) => v.trim() })}
              />
            )}
          </Field>
          <SubmitButton busy={request.isPending} busyLabel="Sending…">
            Send reset link
          </SubmitButton>
        </form>
      )}
      <p>
        <Link to={paths.signIn.path}>Sign in</Link>
      </p>
    </CardPage>
  );
}
