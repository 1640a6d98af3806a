import { useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { safeRedirect } from '../../../config/paths.ts';
import { useSession } from '../../../features/auth/api/get-session.ts';
import { PasswordSection } from '../../../features/account/components/password-section.tsx';
import { SessionsSection } from '../../../features/account/components/sessions-section.tsx';
import { TwoStepSection } from '../../../features/account/components/two-step-section.tsx';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

/** Where a restricted session was heading when it was sent here (see the app root), else the home page. */
function useContinueTo(): string {
  const { state } = useLocation();
  const target = (state as { continueTo?: unknown } | null)?.continueTo;
  return safeRedirect(typeof target === 'string' ? target : null);
}

/**
 * One's own account. A session that must change its password first sees only that, under its
 * own heading; one that must set up two-step verification sees only that; once done, it goes on
 * to the page it was heading for. Each section keeps its place in the tree whether restricted or
 * not, so when the restriction lifts (the session is read again) the section stays mounted: the
 * recovery codes the setup dialog shows once are not lost to a remount.
 */
export function AccountRoute() {
  const session = useSession();
  const navigate = useNavigate();
  const announce = useAnnounce();
  const continueTo = useContinueTo();
  const mustChangePassword = !!session.data?.passwordChangeRequired;
  const mustSetUpTwoStep = !mustChangePassword && !!session.data?.mfaEnrollmentRequired;
  const restricted = mustChangePassword || mustSetUpTwoStep;
  // Confirming the code lifts the restriction while the recovery codes are still on screen: the
  // session goes on only when they are put away, so remember that it was setting up.
  const [settingUpTwoStep, setSettingUpTwoStep] = useState(false);
  if (mustSetUpTwoStep && !settingUpTwoStep) setSettingUpTwoStep(true);
  usePageTitle(
    mustChangePassword ? 'Change your password' : mustSetUpTwoStep ? 'Set up two-step verification' : 'Account',
  );
  const goOn = (message: string) => {
    announce(message, new URL(continueTo, window.location.origin).pathname);
    navigate(continueTo, { replace: true });
  };
  return (
    <div className="stack form-page">
      {!restricted && <h1>Account</h1>}
      {!mustSetUpTwoStep && (
        <PasswordSection
          {...(mustChangePassword && {
            heading: 'Change your password',
            level: 1,
            why: 'Your password was set by someone else (an operator or the first start). Choose your own to continue.',
            // Still restricted (two-step verification to set up)? The app root brings the session back here.
            onChanged: () => goOn('Your password is changed.'),
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
          {...(settingUpTwoStep && { onEnabled: () => goOn('Two-step verification is on.') })}
        />
      )}
      {!restricted && <SessionsSection />}
    </div>
  );
}
