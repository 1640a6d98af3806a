import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { paths } from '../../config/paths.ts';
import { useSession } from '../../features/auth/api/get-session.ts';
import { useConfirmNotificationChannel } from '../../features/notifications/api/confirm-channel.ts';
import { CardPage } from '../../components/ui/card-page.tsx';

const KEPT = 'notification-confirmation';

/**
 * The link of a confirmation mail: `#channel=…&token=…`. The fragment never reaches a server
 * (nor its logs); it is kept in this tab's session storage across the sign-in, then posted by
 * the signed-in admin, whose customer must own the channel.
 */
function takeLink(): { channel: string; token: string } | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1));
  if (fromHash.get('channel') && fromHash.get('token')) {
    sessionStorage.setItem(KEPT, fromHash.toString());
    window.history.replaceState(null, '', window.location.pathname);
  }
  const kept = new URLSearchParams(sessionStorage.getItem(KEPT) ?? '');
  const channel = kept.get('channel');
  const token = kept.get('token');
  return channel && token ? { channel, token } : null;
}

export function ConfirmNotificationsRoute() {
  const [link] = useState(takeLink);
  const session = useSession();
  const navigate = useNavigate();
  const confirm = useConfirmNotificationChannel();
  const { mutate } = confirm;

  useEffect(() => {
    if (session.isError) navigate(paths.signIn.getHref(paths.iam.notificationsConfirm.getHref()), { replace: true });
  }, [session.isError, navigate]);

  useEffect(() => {
    if (!session.isSuccess || !link) return;
    mutate({ id: link.channel, token: link.token }, { onSettled: () => sessionStorage.removeItem(KEPT) });
  }, [session.isSuccess, link, mutate]);

  let message = 'Confirming…';
  if (!link) message = 'This page needs the link from the confirmation mail. Open that link again.';
  else if (confirm.isSuccess) message = 'Confirmed: notifications now go to this address.';
  else if (confirm.isError) message = `Not confirmed: ${confirm.error.message}`;

  return (
    <CardPage title="Confirm email notifications">
      <p role="status">{message}</p>
      <p>
        <Link to={paths.iam.notifications.getHref()}>Go to Notifications</Link>
      </p>
    </CardPage>
  );
}
