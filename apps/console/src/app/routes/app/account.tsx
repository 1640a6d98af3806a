import { useSession } from '../../../features/auth/api/get-session.ts';
import { PasswordSection } from '../../../features/account/components/password-section.tsx';
import { SessionsSection } from '../../../features/account/components/sessions-section.tsx';
import { TwoStepSection } from '../../../features/account/components/two-step-section.tsx';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

/**
 * One's own account. A session that must change its password first sees only that, under its
 * own heading; one that must set up two-step verification sees only that.
 */
export function AccountRoute() {
  usePageTitle('Account');
  const session = useSession();
  if (session.data?.passwordChangeRequired) {
    return (
      <div className="stack">
        <PasswordSection
          heading="Change your password"
          why="Your password was set by someone else (an operator or the first start). Choose your own to continue."
        />
      </div>
    );
  }
  if (session.data?.mfaEnrollmentRequired) {
    return (
      <div className="stack">
        <TwoStepSection
          heading="Set up two-step verification"
          why="Your account requires two-step verification of every administrator. Set it up to continue."
        />
      </div>
    );
  }
  return (
    <div className="stack">
      <h1>Account</h1>
      <PasswordSection />
      <TwoStepSection />
      <SessionsSection />
    </div>
  );
}
