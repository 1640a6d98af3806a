import { useEffect } from 'react';
import { Link } from 'react-router';
import { ErrorNotice } from '../../components/ui/states.tsx';
import { paths } from '../../config/paths.ts';
import { useCompletePasswordReset } from '../../features/account/api/password-reset.ts';
import { NewPasswordForm } from '../../features/account/components/new-password-form.tsx';
import { passwordErrorText } from '../../features/account/components/password-words.ts';
import { useTokenFromLink } from '../../features/account/components/token-from-link.ts';
import { isApiError } from '../../lib/api-client.ts';
import { CardPage } from '../../components/ui/card-page.tsx';

export function ResetPasswordRoute() {
  const token = useTokenFromLink();
  const reset = useCompletePasswordReset();
  // Another link opened in this tab: what the last one was answered no longer holds.
  const { reset: forget } = reset;
  useEffect(() => forget(), [token, forget]);
  const deadLink =
    !token || isApiError(reset.error, 'password_reset_not_found') || isApiError(reset.error, 'password_reset_expired');
  return (
    <CardPage title="Reset password">
      {reset.isSuccess ? (
        <>
          <p role="status">Your password is reset. Every session of yours was signed out.</p>
          <p>
            <Link to={paths.signIn.path}>Sign in</Link>
          </p>
        </>
      ) : deadLink ? (
        <>
          <ErrorNotice
            message={
              isApiError(reset.error, 'password_reset_expired')
                ? 'This reset link has expired.'
                : 'This reset link is unknown or was used already.'
            }
          />
          <p>
            <Link to={paths.forgotPassword.getHref()}>Forgot password?</Link>
          </p>
        </>
      ) : (
        <NewPasswordForm
          submitLabel="Reset password"
          busyLabel="Resetting…"
          busy={reset.isPending}
          error={reset.isError && passwordErrorText(reset.error, 'Could not reset the password. Try again.')}
          onSubmit={(values) => reset.mutate({ token, newPassword: values.newPassword })}
        />
      )}
    </CardPage>
  );
}
