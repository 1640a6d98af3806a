import type { TSsoErrorCode } from '@reg/contracts/sso-api';
import type { Db } from '@reg/db/client';
import * as oidc from 'openid-client';
import type { Clock } from '../../lib/clock.ts';
import type { SealedBox } from '../../lib/sealed-box.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SsoAccounts, SsoMember } from './sso-accounts.ts';
import { emailDomainOf, groupsOf, roleFromGroups, safeConsolePath, type SsoIdentity } from './sso-claims.ts';
import { describe, type SsoDiscovery } from './sso-discovery.ts';
import type { Tx } from '../../lib/tx.ts';
import {
  findEmailDomains,
  findLinkedAdminId,
  findSsoSettings,
  findSsoSettingsByDomain,
  insertLink,
  markTested,
} from './sso.repository.ts';
import { ssoCallbackPath } from './sso-settings.service.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  discovery: Pick<SsoDiscovery, 'configurationFor'>;
  /** Opens the stored client secret. */
  secretBox: SealedBox;
  /** Seals the binding cookie: the browser carries the PKCE verifier but cannot read or change it. */
  bindingBox: SealedBox;
  accounts: SsoAccounts;
  publicUrl: string;
}

/** What the browser carries between start and callback; lives 10 minutes. */
interface Binding {
  customerId: string;
  state: string;
  nonce: string;
  verifier: string;
  redirectTo: string;
  expiresAt: number;
}
export const BINDING_MAX_AGE_SECONDS = 600;

type SsoOutcome = { ok: true; location: string; sessionToken: string } | { ok: false; location: string };

/** Why a sign-in failed: the code the sign-in page shows, and details for the audit log. */
class SsoFailure extends Error {
  readonly code: TSsoErrorCode;
  readonly reason: string;
  constructor(code: TSsoErrorCode, reason: string) {
    super(reason);
    this.code = code;
    this.reason = reason;
  }
}

export function createSsoSignInService({
  db,
  clock,
  audit,
  discovery,
  secretBox,
  bindingBox,
  accounts,
  publicUrl,
}: Deps) {
  const redirectUri = `${publicUrl}${ssoCallbackPath}`;
  const failedAt = (code: TSsoErrorCode) => `/sign-in?error=${code}`;

  async function clientFor(settings: { issuer: string; clientId: string; clientSecretSealed: string }) {
    const clientSecret = secretBox.open(settings.clientSecretSealed);
    if (clientSecret === null) throw new SsoFailure('sso_failed', 'the stored client secret can no longer be read');
    try {
      return await discovery.configurationFor({ issuer: settings.issuer, clientId: settings.clientId, clientSecret });
    } catch (error) {
      throw new SsoFailure('sso_failed', `discovery: ${describe(error)}`);
    }
  }

  async function recordFailure(
    customerId: string | null,
    failure: SsoFailure,
    known: { issuer?: string; subject?: string; email?: string },
    sourceAddress: string,
  ) {
    if (!customerId) return;
    await audit.record(db, {
      customerId,
      actor: { type: 'admin', id: null, label: known.email ?? known.subject ?? sourceAddress },
      action: 'sso.sign_in_failed',
      target: { type: 'customer', id: customerId, label: known.issuer ?? '' },
      details: { error: failure.code, reason: failure.reason.slice(0, 500), ...known },
    });
  }

  /** 302 to the IdP with PKCE, state and nonce, and the binding to set; or back to the sign-in page. */
  async function start(
    query: { email?: string | undefined; redirectTo?: string | undefined },
    sourceAddress: string,
  ): Promise<{ location: string; binding: string | null }> {
    const email = query.email?.trim().toLowerCase() ?? '';
    const domain = /^[^\s@]+@[^\s@]+$/.test(email) ? emailDomainOf(email) : null;
    const settings = domain ? await findSsoSettingsByDomain(db, domain) : null;
    if (!settings) return { location: failedAt('sso_not_configured'), binding: null };
    try {
      const configuration = await clientFor(settings);
      const binding: Binding = {
        customerId: settings.customerId,
        state: oidc.randomState(),
        nonce: oidc.randomNonce(),
        verifier: oidc.randomPKCECodeVerifier(),
        redirectTo: safeConsolePath(query.redirectTo, publicUrl),
        expiresAt: clock.now().getTime() + BINDING_MAX_AGE_SECONDS * 1000,
      };
      const url = oidc.buildAuthorizationUrl(configuration, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        state: binding.state,
        nonce: binding.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(binding.verifier),
        code_challenge_method: 'S256',
        login_hint: email,
      });
      return { location: url.href, binding: bindingBox.seal(JSON.stringify(binding)) };
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      await recordFailure(settings.customerId, error, { issuer: settings.issuer, email }, sourceAddress);
      return { location: failedAt(error.code), binding: null };
    }
  }

  function openBinding(sealed: string | undefined): Binding | null {
    const plain = sealed ? bindingBox.open(sealed) : null;
    if (!plain) return null;
    const binding = JSON.parse(plain) as Binding;
    return binding.expiresAt > clock.now().getTime() ? binding : null;
  }

  /** The IdP's answer: checked, exchanged, verified; then who and which role; then a session. */
  async function callback(
    query: Record<string, string | undefined>,
    rawQuery: string,
    sealedBinding: string | undefined,
    context: { sourceAddress: string; userAgent: string | null },
  ): Promise<SsoOutcome> {
    const binding = openBinding(sealedBinding);
    const known: { issuer?: string; subject?: string; email?: string } = {};
    try {
      if (!binding) throw new SsoFailure('sso_failed', 'no sign-in was started in this browser, or it expired');
      if (!query.state || query.state !== binding.state) throw new SsoFailure('sso_failed', 'state does not match');
      if (query.error === 'access_denied')
        throw new SsoFailure('sso_cancelled', 'the identity provider answered access_denied');
      if (query.error) throw new SsoFailure('sso_failed', `the identity provider answered ${query.error}`);
      const settings = await findSsoSettings(db, binding.customerId);
      if (!settings) throw new SsoFailure('sso_not_configured', 'single sign-on was turned off meanwhile');
      known.issuer = settings.issuer;
      const configuration = await clientFor(settings);
      const identity = await readIdentity(configuration, settings.groupsClaim, binding, rawQuery);
      known.subject = identity.subject;
      if (identity.email) known.email = identity.email;
      const now = clock.now();
      const admin = await db.$transaction(async (tx) => {
        const member = await whoIs(tx, settings, identity);
        const role = roleFromGroups(identity.groups, settings);
        if (role === null) throw new SsoFailure('sso_no_group', 'no group of the identity gives access');
        const admin =
          member.kind === 'new'
            ? await accounts.createJustInTime(tx, settings.customerId, member.email, role ?? 'read-only')
            : member.admin;
        if (member.kind !== 'linked') {
          await insertLink(
            tx,
            { customerId: settings.customerId, issuer: settings.issuer, subject: identity.subject, adminId: admin.id },
            now,
          );
        }
        if (admin.status === 'invited') await accounts.activate(tx, settings.customerId, admin);
        if (role && member.kind !== 'new') await accounts.applyRole(tx, settings.customerId, admin, role);
        await markTested(tx, settings.customerId, settings.issuer, settings.clientId, now);
        return admin;
      });
      const { token: sessionToken } = await accounts.startSession(admin, { ...context, issuer: settings.issuer });
      return { ok: true, location: `${publicUrl}${binding.redirectTo}`, sessionToken };
    } catch (error) {
      if (!(error instanceof SsoFailure)) throw error;
      await recordFailure(binding?.customerId ?? null, error, known, context.sourceAddress);
      return { ok: false, location: failedAt(error.code) };
    }
  }

  /** The code exchange and the ID token's checks are openid-client's; UserInfo fills what the token lacks. */
  async function readIdentity(
    configuration: oidc.Configuration,
    groupsClaim: string,
    binding: Binding,
    rawQuery: string,
  ): Promise<SsoIdentity> {
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, new URL(`${redirectUri}?${rawQuery}`), {
        pkceCodeVerifier: binding.verifier,
        expectedState: binding.state,
        expectedNonce: binding.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      let merged: Record<string, unknown> = { ...claims };
      if ((typeof claims.email !== 'string' || claims[groupsClaim] === undefined) && tokens.access_token) {
        const userInfo = await oidc.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        merged = { ...userInfo, ...Object.fromEntries(Object.entries(claims).filter(([, v]) => v !== undefined)) };
      }
      const email = typeof merged.email === 'string' ? merged.email.trim().toLowerCase() : null;
      return {
        subject: claims.sub,
        email: email && email.length <= 254 ? email : null,
        emailVerified: merged.email_verified === true,
        groups: groupsOf(merged[groupsClaim]) ?? [],
      };
    } catch (error) {
      throw new SsoFailure('sso_failed', `code exchange or ID token: ${describe(error)}`);
    }
  }

  async function whoIs(
    tx: Tx,
    settings: { customerId: string; issuer: string; justInTime: boolean },
    identity: SsoIdentity,
  ): Promise<{ kind: 'linked' | 'email'; admin: SsoMember } | { kind: 'new'; email: string }> {
    const link = { customerId: settings.customerId, issuer: settings.issuer, subject: identity.subject };
    const linkedId = await findLinkedAdminId(tx, link);
    const linked = linkedId ? await accounts.findMember(tx, settings.customerId, linkedId) : null;
    if (linked) return { kind: 'linked', admin: linked };
    if (!identity.emailVerified || !identity.email)
      throw new SsoFailure(
        'sso_email_unverified',
        'no link yet and the email is not verified by the identity provider',
      );
    const byEmail = await accounts.findMemberByEmail(tx, settings.customerId, identity.email);
    if (byEmail) return { kind: 'email', admin: byEmail };
    const domain = emailDomainOf(identity.email);
    const domains = await findEmailDomains(tx, settings.customerId);
    if (settings.justInTime && domain && domains.includes(domain)) return { kind: 'new', email: identity.email };
    throw new SsoFailure('sso_no_account', 'no administrator with this email, and none may be created');
  }

  return { start, callback };
}

export type SsoSignInService = ReturnType<typeof createSsoSignInService>;
