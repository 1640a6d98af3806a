/** Every path of the console, in one place: routes and links both read from here. */
export const paths = {
  signIn: {
    path: '/sign-in',
    getHref: (redirectTo?: string | null) =>
      redirectTo ? `/sign-in?redirectTo=${encodeURIComponent(redirectTo)}` : '/sign-in',
  },
  home: { getHref: () => '/iam/api-access/product-registrations' },
  iam: {
    path: '/iam',
    administrators: { path: '/iam/administrators', getHref: () => '/iam/administrators' },
    apiAccess: {
      path: '/iam/api-access',
      productRegistrations: {
        path: '/iam/api-access/product-registrations',
        getHref: () => '/iam/api-access/product-registrations',
      },
      secureClients: {
        path: '/iam/api-access/secure-clients',
        getHref: () => '/iam/api-access/secure-clients',
      },
    },
    notifications: { path: '/iam/notifications', getHref: () => '/iam/notifications' },
    /** Where a confirmation mail's link goes (`#channel=…&token=…`). */
    notificationsConfirm: { path: '/iam/notifications/confirm', getHref: () => '/iam/notifications/confirm' },
  },
  licensing: {
    path: '/licensing',
    usage: {
      path: '/licensing/usage',
      getHref: () => '/licensing/usage',
    },
    licenseServers: {
      path: '/licensing/license-servers',
      getHref: () => '/licensing/license-servers',
    },
    licenseServer: {
      path: '/licensing/license-servers/:id',
      getHref: (id: string) => `/licensing/license-servers/${encodeURIComponent(id)}`,
    },
  },
  audit: { path: '/audit', getHref: () => '/audit' },
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
