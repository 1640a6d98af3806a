/**
 * Every page of the console. The console's routes and links, and the links the API puts into
 * mails, codes and webhooks, all read these, so a page moved here moves everywhere.
 */
export const CONSOLE_PATHS = {
  signIn: '/sign-in',
  iam: '/iam',
  administrators: '/iam/administrators',
  apiAccess: '/iam/api-access',
  productRegistrations: '/iam/api-access/product-registrations',
  secureClients: '/iam/api-access/secure-clients',
  notifications: '/iam/notifications',
  /** Where an email channel's confirmation link goes (`#channel=…&token=…`). */
  notificationsConfirm: '/iam/notifications/confirm',
  licensing: '/licensing',
  usage: '/licensing/usage',
  licenseServers: '/licensing/license-servers',
  licenseServer: '/licensing/license-servers/:id',
  audit: '/audit',
  entitlements: '/licensing/entitlements',
  /** Where an invitation link goes (`#token=…`); served to signed-out visitors. */
  acceptInvitation: '/accept-invitation',
  forgotPassword: '/forgot-password',
  /** Where a password reset link goes (`#token=…`); served to signed-out visitors. */
  resetPassword: '/reset-password',
  account: '/account',
  settings: '/settings',
  /** Settings > Sign-in: two-step verification and single sign-on. */
  signInSettings: '/settings/sign-in',
  registrationKeys: '/iam/api-access/registration-keys',
} as const;

/** Where the console opens after signing in. */
export const CONSOLE_HOME = CONSOLE_PATHS.productRegistrations;

/** One license server's page. */
export const licenseServerPath = (id: string) => CONSOLE_PATHS.licenseServer.replace(':id', encodeURIComponent(id));
