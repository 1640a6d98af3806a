import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { paths, safeRedirect } from '../../config/paths.ts';
import { SignInForm } from '../../features/auth/components/sign-in-form.tsx';
import { ssoEmailToRetry, ssoErrorText } from '../../features/auth/components/sso-sign-in.ts';
import { ErrorNotice } from '../../components/ui/states.tsx';
import { useSession } from '../../features/auth/api/get-session.ts';
import { CardPage } from '../../components/ui/card-page.tsx';

export function SignInRoute() {
  const [searchParams] = useSearchParams();
  const navigate = useNavigate();
  const target = safeRedirect(searchParams.get('redirectTo'));
  const session = useSession();
  const ssoError = ssoErrorText(searchParams.get('error'));
  // Back from a failed single sign-on: the email typed before it, so it need not be typed again.
  const [initialEmail] = useState(() => (ssoError ? ssoEmailToRetry() : ''));

  // Already signed in (another tab, a bookmark): go straight on.
  useEffect(() => {
    if (session.isSuccess) navigate(target, { replace: true });
  }, [session.isSuccess, navigate, target]);

  return (
    <CardPage title="Sign in">
      <ErrorNotice message={ssoError} />
      <SignInForm
        onSignedIn={() => navigate(target, { replace: true })}
        redirectTo={searchParams.get('redirectTo')}
        initialEmail={initialEmail}
      />
      <p>
        <Link to={paths.forgotPassword.getHref()}>Forgot password?</Link>
      </p>
    </CardPage>
  );
}
