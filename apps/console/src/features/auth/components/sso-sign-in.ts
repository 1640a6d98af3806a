import type { TSsoErrorCode } from '@reg/contracts/sso-api';

/** What the sign-in page says when single sign-on sent the browser back with `?error=<code>`. */
const SSO_ERROR_TEXT: Record<TSsoErrorCode, string> = {
  sso_not_configured:
    'Single sign-on is not set up for this email domain. Sign in with your password, or ask an administrator.',
  sso_failed: 'Single sign-on did not work. Start again from this page; if it keeps failing, ask an administrator.',
  sso_cancelled: 'Single sign-on was cancelled at your identity provider.',
  sso_email_unverified:
    'Your identity provider did not confirm your email address, so it cannot be matched to an administrator.',
  sso_no_account: 'There is no administrator for you in this account. Ask an administrator to invite you.',
  sso_no_group:
    'Your identity provider does not put you in a group that gives access to this console. Ask your administrator to add you to one.',
};

export const ssoErrorText = (code: string | null): string | null =>
  code && Object.hasOwn(SSO_ERROR_TEXT, code) ? SSO_ERROR_TEXT[code as TSsoErrorCode] : null;

/*
 * The email typed before single sign-on, kept in the tab's sessionStorage so that the sign-in
 * page can show it again when the round trip ends in an error (the API's redirect back does
 * not carry it). A browser that refuses storage just loses this convenience.
 */
const SSO_EMAIL_KEY = 'sso-sign-in-email';

/** The email the last single sign-on of this tab started with, or ''. */
export function ssoEmailToRetry(): string {
  try {
    return sessionStorage.getItem(SSO_EMAIL_KEY) ?? '';
  } catch {
    return '';
  }
}

/** A browser navigation to the API, which sends it on to the identity provider. */
export function startSingleSignOn(email: string, redirectTo: string | null) {
  try {
    sessionStorage.setItem(SSO_EMAIL_KEY, email);
  } catch {
    // Storage refused (private mode, quota): the sign-in goes on without it.
  }
  const query = new URLSearchParams({ email, ...(redirectTo && { redirectTo }) });
  window.location.assign(`/api/console/sso/start?${query.toString()}`);
}
