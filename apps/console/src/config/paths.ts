import { CONSOLE_HOME, CONSOLE_PATHS as P, licenseServerPath } from '@reg/contracts/console-paths';

const page = <Path extends string>(path: Path) => ({ path, getHref: () => path });

/** Every path of the console, from the contracts' CONSOLE_PATHS: routes and links both read from here. */
export const paths = {
  signIn: {
    path: P.signIn,
    getHref: (redirectTo?: string | null) =>
      redirectTo ? `${P.signIn}?redirectTo=${encodeURIComponent(redirectTo)}` : P.signIn,
  },
  home: { getHref: () => CONSOLE_HOME },
  iam: {
    path: P.iam,
    administrators: page(P.administrators),
    apiAccess: {
      path: P.apiAccess,
      productRegistrations: page(P.productRegistrations),
      secureClients: page(P.secureClients),
      registrationKeys: page(P.registrationKeys),
    },
    notifications: page(P.notifications),
    notificationsConfirm: page(P.notificationsConfirm),
  },
  licensing: {
    path: P.licensing,
    usage: page(P.usage),
    licenseServers: page(P.licenseServers),
    licenseServer: { path: P.licenseServer, getHref: licenseServerPath },
    entitlements: page(P.entitlements),
  },
  audit: page(P.audit),
  settings: { path: P.settings, signIn: page(P.signInSettings) },
  acceptInvitation: page(P.acceptInvitation),
  forgotPassword: page(P.forgotPassword),
  resetPassword: page(P.resetPassword),
  account: page(P.account),
} as const;

/**
 * Where to go after signing in: only a path of this site ("/…", not "//…" nor "/\…",
 * which browsers read as another host), else the home page.
 */
export function safeRedirect(target: string | null | undefined): string {
  const home = paths.home.getHref();
  if (!target || !target.startsWith('/') || target.startsWith('//')) return home;
  // Browsers drop tabs and newlines and read "\" as "/": "/\t/evil.example" is another site.
  if ([...target].some((char) => char === '\\' || char <= '\u001f' || char === '\u007f')) return home;
  const url = new URL(target, window.location.origin);
  if (url.origin !== window.location.origin) return home;
  if (url.pathname === paths.signIn.path) return home;
  return `${url.pathname}${url.search}${url.hash}`;
}
