import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApp } from './helpers/app.ts';
import type { TestIdp } from './helpers/oidc-provider.ts';
import { customerWithSso, SSO_CALLBACK, ssoSignIn, startSsoTestApp, uniqueDomain } from './helpers/sso.ts';

let t: TestApp;
let idp: TestIdp;

beforeAll(async () => {
  ({ t, idp } = await startSsoTestApp());
}, 60_000);

afterAll(async () => {
  await idp?.close();
  await t?.app.close();
});

const setUp = (settings: Record<string, unknown> = {}) => customerWithSso(t, idp, settings);

const user = () => `user-${randomUUID().slice(0, 8)}`;

/** The clock stands still in tests: events are told apart by whom they name. */
const auditOf = (customerId: string, action: string, targetLabel?: string) =>
  t.db.auditEvent.findMany({ where: { customerId, action, ...(targetLabel && { targetLabel }) } });

async function membership(customerId: string, email: string) {
  return t.db.admin.findFirst({ where: { customerId, person: { email } }, include: { person: true } });
}

describe('single sign-on: every failure goes back to the sign-in page with its code and is audited', () => {
  async function expectFailure(customerId: string | null, location: string, code: string, reason?: RegExp) {
    expect(location).toBe(`/sign-in?error=${code}`);
    if (!customerId) return;
    const failures = await auditOf(customerId, 'sso.sign_in_failed');
    const details = failures.map((f) => f.details as { error: string; reason: string });
    expect(details.some((d) => d.error === code && (!reason || reason.test(d.reason)))).toBe(true);
  }

  it('sso_not_configured: an unknown domain or a malformed email, with no session', async () => {
    for (const email of [`x@${uniqueDomain()}`, 'not-an-email', '', `${'a'.repeat(300)}@example.com`]) {
      const attempt = await ssoSignIn(t, idp, email, 'nobody');
      expect(attempt).toEqual({ location: '/sign-in?error=sso_not_configured', cookie: null });
    }
  });

  it('sso_no_group: no mapped group makes no admin and no session', async () => {
    const { customerId, domain } = await setUp();
    const sub = user();
    idp.setUser(sub, { email: `nogroup@${domain}`, email_verified: true, groups: ['marketing'] });
    const attempt = await ssoSignIn(t, idp, `nogroup@${domain}`, sub);
    await expectFailure(customerId, attempt.location, 'sso_no_group');
    expect(attempt.cookie).toBeNull();
    expect(await membership(customerId, `nogroup@${domain}`)).toBeNull();
  });

  it('sso_email_unverified and sso_no_account', async () => {
    const { customerId, domain } = await setUp({ justInTime: false });
    const sub = user();
    idp.setUser(sub, { email: `unverified@${domain}`, email_verified: false, groups: ['console-admins'] });
    await expectFailure(customerId, (await ssoSignIn(t, idp, `u@${domain}`, sub)).location, 'sso_email_unverified');
    const other = user();
    idp.setUser(other, { email: `stranger@${domain}`, email_verified: true, groups: ['console-admins'] });
    await expectFailure(customerId, (await ssoSignIn(t, idp, `s@${domain}`, other)).location, 'sso_no_account');
    // Just in time, but the IdP's email is outside the customer's domains.
    const jit = await setUp();
    const outsider = user();
    idp.setUser(outsider, {
      email: `x@elsewhere-${randomUUID().slice(0, 6)}.org`,
      email_verified: true,
      groups: ['console-admins'],
    });
    await expectFailure(
      jit.customerId,
      (await ssoSignIn(t, idp, `o@${jit.domain}`, outsider)).location,
      'sso_no_account',
    );
  });

  it('sso_cancelled: the user cancels at the IdP (access_denied)', async () => {
    const { customerId, domain } = await setUp();
    const attempt = await ssoSignIn(t, idp, `c@${domain}`, 'whoever', { cancel: true });
    await expectFailure(customerId, attempt.location, 'sso_cancelled');
  });

  it('sso_failed: a foreign state, no binding cookie (as for a replayed callback), an iss of another issuer, a bad code, an IdP error', async () => {
    const { customerId, domain } = await setUp();
    const sub = user();
    idp.setUser(sub, { email: `f@${domain}`, email_verified: true, groups: ['console-admins'] });
    const state = await ssoSignIn(t, idp, `f@${domain}`, sub, {
      tamper: (url) => url.searchParams.set('state', 'forged'),
    });
    await expectFailure(customerId, state.location, 'sso_failed', /state/);
    const unbound = await ssoSignIn(t, idp, `f@${domain}`, sub, { dropBinding: true });
    expect(unbound).toEqual({ location: '/sign-in?error=sso_failed', cookie: null });
    const iss = await ssoSignIn(t, idp, `f@${domain}`, sub, {
      tamper: (url) => url.searchParams.set('iss', 'https://evil.example.com'),
    });
    await expectFailure(customerId, iss.location, 'sso_failed', /code exchange or ID token/);
    const code = await ssoSignIn(t, idp, `f@${domain}`, sub, {
      tamper: (url) => url.searchParams.set('code', 'made-up'),
    });
    await expectFailure(customerId, code.location, 'sso_failed');
    expect([state, unbound, iss, code].every((a) => a.cookie === null)).toBe(true);
    // An IdP error other than access_denied.
    const idpError = await ssoSignIn(t, idp, `f@${domain}`, sub, {
      tamper: (url) => {
        url.searchParams.delete('code');
        url.searchParams.set('error', 'server_error');
      },
    });
    await expectFailure(customerId, idpError.location, 'sso_failed', /server_error/);
  });

  it('sso_failed: a client secret the IdP refuses fails the code exchange', async () => {
    const { owner, customerId, domain } = await setUp();
    const put = await t.client.put(
      '/api/console/settings/sso',
      {
        issuer: idp.issuer,
        clientId: idp.clientId,
        clientSecret: 'not-the-secret',
        emailDomains: [domain],
        fullAdminGroups: ['console-admins'],
      },
      { as: owner },
    );
    expect(put.status).toBe(200);
    const sub = user();
    idp.setUser(sub, { email: `w@${domain}`, email_verified: true, groups: ['console-admins'] });
    await expectFailure(customerId, (await ssoSignIn(t, idp, `w@${domain}`, sub)).location, 'sso_failed');
  });

  it('a redirectTo outside the console goes home instead', async () => {
    const { domain } = await setUp();
    for (const redirectTo of [
      'https://evil.example.com/',
      '//evil.example.com',
      '/\\evil.example.com',
      '/sign-in',
      '/api/console/session',
    ]) {
      const sub = user();
      idp.setUser(sub, { email: `${sub}@${domain}`, email_verified: true, groups: ['console-admins'] });
      const attempt = await ssoSignIn(t, idp, `${sub}@${domain}`, sub, { redirectTo });
      expect(attempt.location).toBe(`${t.config.PUBLIC_URL}/`);
    }
  });

  it('the start sets a short-lived HttpOnly, SameSite=Lax binding cookie and sends PKCE, state, nonce and login_hint', async () => {
    const { domain } = await setUp();
    const start = await t.app.inject({ method: 'GET', url: '/api/console/sso/start', query: { email: `p@${domain}` } });
    expect(start.statusCode).toBe(302);
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: idp.clientId,
      redirect_uri: `${t.config.PUBLIC_URL}${SSO_CALLBACK}`,
      scope: 'openid email profile',
      code_challenge_method: 'S256',
      login_hint: `p@${domain}`,
    });
    expect(url.searchParams.get('state')!.length).toBeGreaterThanOrEqual(22);
    expect(url.searchParams.get('nonce')!.length).toBeGreaterThanOrEqual(22);
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    const cookie = start.cookies.find((c) => c.name === 'sso-binding')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 600 });
    expect(cookie.value).not.toContain(url.searchParams.get('state')!);
  });
});
