import type { Db } from '@reg/db/client';
import type { Config } from './config.ts';
import { createAttemptLimits } from './lib/attempt-limits.ts';
import { createAdminService } from './modules/admins/admins.service.ts';
import { createPasswordQueue } from './lib/password-queue.ts';
import { createApiClientService } from './modules/api-clients/api-clients.service.ts';
import type { Clock } from './lib/clock.ts';
import type { Secrets } from './lib/secrets.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createCodeService } from './modules/codes/codes.service.ts';
import { createHealthService } from './modules/health/health.service.ts';
import { createCodeLookup } from './modules/registrations/code-lookup.ts';
import { createRegistrationRemoval } from './modules/registrations/registration-removal.service.ts';
import { createRegistrationService } from './modules/registrations/registrations.service.ts';
import { createOutbox } from './modules/notifications/outbox.ts';
import { createSessionService } from './modules/session/session.service.ts';
import { createOfflineService } from './modules/offline/offline.service.ts';
import { createLicenseServerService } from './modules/license-servers/license-servers.service.ts';
import { createUsageService } from './modules/usage/usage.service.ts';
import { createEmailSender } from './modules/notifications/email-sender.ts';
import { createNotificationService } from './modules/notifications/notifications.service.ts';
import { createWebhookSender } from './modules/notifications/webhook-sender.ts';
import { createSettingsService } from './modules/settings/settings.service.ts';
import { createStaleRegistrationService } from './modules/stale-registrations/stale-registrations.service.ts';
import { createEntitlementService } from './modules/entitlements/entitlements.service.ts';
import { createMuteService } from './modules/notifications/mutes.service.ts';
import { createIdentityMail } from './modules/identity-mail/identity-mail.ts';
import { createInvitationService } from './modules/admins/invitations.service.ts';
import { createSealedBox } from './lib/sealed-box.ts';
import { createSsoMembers } from './modules/admins/sso-accounts.service.ts';
import { createSsoDiscovery } from './modules/sso/sso-discovery.ts';
import { createSsoPolicy } from './modules/sso/sso-policy.ts';
import { createSsoSettingsService } from './modules/sso/sso-settings.service.ts';
import { createSsoSignInService } from './modules/sso/sso-sign-in.service.ts';
import { createAccountService } from './modules/session/account.service.ts';
import { createPasswordResetService } from './modules/session/password-reset.service.ts';
import { createRegistrationKeyService } from './modules/registration-keys/registration-keys.service.ts';
import { createKeyRegistrations } from './modules/registrations/key-registrations.service.ts';
import { createPendingApprovals } from './modules/registrations/pending-approvals.service.ts';
import { createRegistrationTags } from './modules/registrations/registration-tags.service.ts';
import { createCloneDetection } from './modules/registrations/clone-detection.service.ts';
import { createMfaService } from './modules/mfa/mfa.service.ts';
import { createMfaSignInService } from './modules/session/mfa-sign-in.service.ts';

export interface Deps {
  config: Readonly<Config>;
  db: Db;
  clock: Clock;
  secrets: Secrets;
}

/** The composition root: every service, each over the narrow dependencies it needs. */
export function createServices({ config, db, clock, secrets }: Deps) {
  // Its own outbox (it holds no state): every audit record is also an `audit.event`.
  const audit = createAuditService({ db, clock, outbox: createOutbox() });
  const limits = createAttemptLimits({
    db,
    clock,
    maxQueueWaitMs: config.DB_CONNECT_TIMEOUT_MS + config.DB_STATEMENT_TIMEOUT_MS,
  });
  const codes = createCodeService({ db, clock, config, codeHmacSecret: secrets.codeHmacSecret });
  const findPendingCode = createCodeLookup({
    clock,
    limits,
    codeHmacSecret: secrets.codeHmacSecret,
    maxFailuresPerAdmin: config.LIMIT_CODE_LOOKUP_FAILURES_PER_ADMIN,
    maxFailuresPerCustomer: config.LIMIT_CODE_LOOKUP_FAILURES_PER_CUSTOMER,
  });
  const outbox = createOutbox();
  // Removal first: the stale sweep removes through it, settings cancel the sweep's announcements,
  // and the registrations list reads the settings.
  const removal = createRegistrationRemoval({ db, clock, audit, outbox });
  const staleRegistrations = createStaleRegistrationService({ db, clock, outbox, registrations: removal });
  const settings = createSettingsService({
    db,
    audit,
    staleRegistrations,
    // The TOTP service is made further down (it needs the account service); asked only per request.
    mfaEnabled: (personId) => mfa.isEnabled(personId),
  });
  const registrations = createRegistrationService({
    db,
    clock,
    audit,
    outbox,
    settings,
    removal,
    findPendingCode,
    notReportingAfterHours: config.NOT_REPORTING_AFTER_HOURS,
  });
  const passwords = createPasswordQueue({
    concurrent: config.SIGNIN_HASHING_CONCURRENCY,
    waiting: config.SIGNIN_HASHING_QUEUE,
  });
  const ssoPolicy = createSsoPolicy({ db });
  const sessions = createSessionService({ db, clock, audit, limits, passwords, config, ssoPolicy });
  const usage = createUsageService({
    db,
    clock,
    audit,
    outbox,
    notReportingAfterHours: config.NOT_REPORTING_AFTER_HOURS,
  });
  const licenseServers = createLicenseServerService({
    db,
    clock,
    usage,
    notReportingAfterHours: config.NOT_REPORTING_AFTER_HOURS,
  });
  const apiClients = createApiClientService({
    db,
    clock,
    audit,
    limits,
    maxFailuresPerAddress: config.LIMIT_SIGNIN_FAILURES_PER_ADDRESS,
  });
  const offline = createOfflineService({
    db,
    clock,
    audit,
    registrations,
    usage,
    minimumVersion: config.MIN_PRODUCT_VERSION,
  });
  const webhooks = createWebhookSender({
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
  });
  const entitlements = createEntitlementService({
    db,
    clock,
    outbox,
    expiryWarningDays: config.EXPIRY_WARNING_DAYS,
  });
  // One SMTP transport for notifications and the identity mails (invitations, resets).
  const email = createEmailSender({
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    timeoutMs: config.WEBHOOK_TIMEOUT_MS,
    log: (line) => console.log(line),
  });
  // Invitation and reset mails go through the outbox; they are written when sent, so they ask
  // the two services below whether their link still works (called only once all are made).
  const identityMail = createIdentityMail({
    outbox,
    configured: email !== null,
    sealedBox: createSealedBox(secrets.sessionSecret, 'identity-mail-link'),
    publicUrl: config.PUBLIC_URL,
    linkIsLive: {
      invitation: (token) => invitations.isLinkLive(token),
      passwordReset: (token) => passwordResets.isLinkLive(token),
    },
  });
  const notifications = createNotificationService({
    db,
    clock,
    audit,
    webhooks,
    email,
    systemMails: identityMail,
    publicUrl: config.PUBLIC_URL,
    allowPrivateReceivers: config.WEBHOOK_ALLOW_PRIVATE,
    notReportingAfterHours: config.NOT_REPORTING_AFTER_HOURS,
    webhookTimeoutMs: config.WEBHOOK_TIMEOUT_MS,
    licenseAlerts: entitlements.evaluateAlerts,
  });
  const mutes = createMuteService({ db, clock, audit });
  const health = createHealthService({ db });
  const invitations = createInvitationService({
    db,
    clock,
    audit,
    mailer: identityMail,
    sessions,
    passwords,
    publicUrl: config.PUBLIC_URL,
    ssoPolicy,
  });
  const registrationKeys = createRegistrationKeyService({ db, clock, audit });
  const admins = createAdminService({ db, clock, audit, passwords, invitations, registrationKeys });
  // Single sign-on: the IdP is called under the webhooks' rule for private addresses, 10 s at most.
  const ssoDiscovery = createSsoDiscovery({ clock, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE, timeoutMs: 10_000 });
  const ssoSecrets = createSealedBox(secrets.sessionSecret, 'sso-client-secret');
  const ssoSettings = createSsoSettingsService({
    db,
    clock,
    audit,
    discovery: ssoDiscovery,
    sealedBox: ssoSecrets,
    publicUrl: config.PUBLIC_URL,
  });
  const ssoSignIn = createSsoSignInService({
    db,
    clock,
    audit,
    discovery: ssoDiscovery,
    secretBox: ssoSecrets,
    bindingBox: createSealedBox(secrets.sessionSecret, 'sso-binding'),
    accounts: {
      ...createSsoMembers({ audit, admins }),
      startSession: (member, context) =>
        sessions.startSession({
          adminId: member.id,
          method: 'sso',
          client: { address: context.sourceAddress, userAgent: context.userAgent },
          details: { issuer: context.issuer },
        }),
    },
    publicUrl: config.PUBLIC_URL,
  });
  const account = createAccountService({ db, clock, audit, passwords, sessions, config });
  const passwordResets = createPasswordResetService({
    db,
    clock,
    audit,
    limits,
    passwords,
    mailer: identityMail,
    ssoPolicy,
    config,
  });
  const cloneDetection = createCloneDetection({ db, clock, audit, outbox, registrations });
  const keyRegistrations = createKeyRegistrations({
    db,
    clock,
    config,
    audit,
    outbox,
    removal,
    limits,
    registrationKeys,
    cloneDetection,
    maxFailuresPerAddress: config.LIMIT_REGISTRATION_KEY_FAILURES_PER_ADDRESS,
    // Half the pool: an enrolling fleet leaves connections for everything else.
    maxConcurrent: Math.max(1, Math.floor(config.DB_POOL_SIZE / 2)),
  });
  const pendingApprovals = createPendingApprovals({ db, clock, config, audit, outbox, removal });
  const registrationTags = createRegistrationTags({
    db,
    audit,
    settings,
    toRegistration: registrations.toRegistration,
  });
  // Two-step verification: the TOTP secrets sealed at rest as the single sign-on client secret is.
  const mfa = createMfaService({
    db,
    clock,
    audit,
    account,
    secretBox: createSealedBox(secrets.sessionSecret, 'totp-secret'),
    issuer: config.TOTP_ISSUER,
  });
  const mfaSignIn = createMfaSignInService({ db, clock, audit, sessions, mfa, ssoPolicy });
  return {
    admins,
    health,
    audit,
    limits,
    passwords,
    codes,
    registrations,
    sessions,
    usage,
    licenseServers,
    apiClients,
    offline,
    notifications,
    settings,
    staleRegistrations,
    entitlements,
    mutes,
    identityMail,
    invitations,
    ssoDiscovery,
    ssoPolicy,
    ssoSettings,
    ssoSignIn,
    account,
    passwordResets,
    registrationKeys,
    keyRegistrations,
    pendingApprovals,
    registrationTags,
    cloneDetection,
    mfa,
    mfaSignIn,
  };
}

export type Services = ReturnType<typeof createServices>;
