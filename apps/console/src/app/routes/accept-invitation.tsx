import type { TSessionResponse } from '@reg/contracts/console-api';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { useAnnounce } from '../../components/ui/status-message.tsx';
import { ErrorNotice } from '../../components/ui/states.tsx';
import { BusyButton } from '../../components/ui/busy-button.tsx';
import { paths } from '../../config/paths.ts';
import { useAcceptInvitation } from '../../features/account/api/accept-invitation.ts';
import { NewPasswordForm } from '../../features/account/components/new-password-form.tsx';
import { passwordErrorText } from '../../features/account/components/password-words.ts';
import { useTokenFromLink } from '../../features/account/components/token-from-link.ts';
import { isApiError } from '../../lib/api-client.ts';
import { CardPage } from '../../components/ui/card-page.tsx';

const ASK_AGAIN = 'Ask an administrator for a new invitation.';

export function AcceptInvitationRoute() {
  const token = useTokenFromLink();
  const accept = useAcceptInvitation();
  // Another link opened in this tab: what the last one was answered no longer holds.
  const { reset: forget } = accept;
  useEffect(() => forget(), [token, forget]);
  const navigate = useNavigate();
  const announce = useAnnounce();
  // Signed in: the home page says so, and into which customer.
  const onAccepted = (session: TSessionResponse) => {
    announce(`Invitation accepted. You are signed in to ${session.customer.name}.`, paths.home.getHref());
    navigate(paths.home.getHref(), { replace: true });
  };
  let dead: string | null = null;
  if (!token) dead = `This page needs the link from the invitation mail. ${ASK_AGAIN}`;
  else if (isApiError(accept.error, 'invitation_not_found'))
    dead = `This invitation link is unknown, used or replaced. ${ASK_AGAIN}`;
  else if (isApiError(accept.error, 'invitation_expired')) dead = `This invitation has expired. ${ASK_AGAIN}`;
  const signInFirst = isApiError(accept.error, 'sign_in_required');
  return (
    <CardPage title="Accept invitation">
      {dead ? (
        <ErrorNotice message={dead} />
      ) : signInFirst ? (
        // An existing administrator (of another customer) accepts from their own session.
        <>
          <ErrorNotice message="You administer another customer already: sign in first (in another tab), then accept here." />
          <BusyButton
            type="button"
            className="button button-primary"
            busy={accept.isPending}
            busyLabel="Accepting…"
            onClick={() => accept.mutate({ token: token! }, { onSuccess: onAccepted })}
          >
            Accept invitation
          </BusyButton>
        </>
      ) : (
        <NewPasswordForm
          submitLabel="Accept invitation"
          busyLabel="Accepting…"
          busy={accept.isPending}
          error={accept.isError && passwordErrorText(accept.error, 'Could not accept. Try again.')}
          onSubmit={(values) =>
            accept.mutate({ token: token!, password: values.newPassword }, { onSuccess: onAccepted })
          }
        />
      )}
    </CardPage>
  );
}
