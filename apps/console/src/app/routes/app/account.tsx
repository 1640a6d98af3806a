import { useSession } from '../../../features/auth/api/get-session.ts';
import { PasswordSection } from '../../../features/account/components/password-section.tsx';
import { SessionsSection } from '../../../features/account/components/sessions-section.tsx';
import { TwoStepSection } from '../../../features/account/components/two-step-section.tsx';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

/**
 * One's own account. A session that must change its password first sees only that, under its
 * own heading; one that must set up two-step verification sees only that. Each section keeps
 * its place in the tree whether restricted or not, so when the restriction lifts (the session
 * is read again) the section stays mounted: its confirmation, and the recovery codes the setup
 * dialog shows once, are not lost to a remount.
 */
export function AccountRoute() {
  const session = useSession();
  const mustChangePassword = !!session.data?.passwordChangeRequired;
  const mustSetUpTwoStep = !mustChangePassword && !!session.data?.mfaEnrollmentRequired;
  const restricted = mustChangePassword || mustSetUpTwoStep;
  usePageTitle(
    mustChangePassword ? 'Change your password' : mustSetUpTwoStep ? 'Set up two-step verification' : 'Account',
  );
  return (
    <div className="stack form-page">
      {!restricted && <h1>Account</h1>}
      {!mustSetUpTwoStep && (
        <PasswordSection
          {...(mustChangePassword && {
            heading: 'Change your password',
            level: 1,
            why: 'Your password was set by someone else (an operator or the first start). Choose your own to continue.',
          })}
        />
      )}
      {!mustChangePassword && (
        <TwoStepSection
          {...(mustSetUpTwoStep && {
            heading: 'Set up two-step verification',
            level: 1,
            why: 'Your account requires two-step verification of every administrator. Set it up to continue.',
          })}
        />
      )}
      {!restricted && <SessionsSection />}
    </div>
  );
}
