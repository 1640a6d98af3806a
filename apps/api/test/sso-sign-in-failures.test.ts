import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SSO_CALLBACK, ssoSignIn, ssoSuite, uniqueDomain } from './helpers/sso.ts';

const sso = ssoSuite();
const { setUp, user, auditOf, membership } = sso;

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
      const attempt = await ssoSignIn(sso.t, sso.idp, email, 'nobody');
      expect(attempt).toEqual({ location: '/sign-in?error=sso_not_configured', cookie: null });
    }
  });

  it('sso_no_group: no mapped group makes no admin and no session', async () => {
    const { customerId, domain } = await setUp();
    const sub = user();
    sso.idp.setUser(sub, { email: `nogroup@${domain}`, email_verified: true, groups: ['marketing'] });
    const attempt = await ssoSignIn(sso.t, sso.idp, `nogroup@${domain}`, sub);
    await expectFailure(customerId, attempt.location, 'sso_no_group');
    expect(attempt.cookie).toBeNull();
    expect(await membership(customerId, `nogroup@${domain}`)).toBeNull();
  });

  it('sso_email_unverified and sso_no_account', async () => {
    const { customerId, domain } = await setUp({ justInTime: false });
    const sub = user();
    sso.idp.setUser(sub, { email: `unverified@${domain}`, email_verified: false, groups: ['console-admins'] });
    await expectFailure(
      customerId,
      (await ssoSignIn(sso.t, sso.idp, `u@${domain}`, sub)).location,
      'sso_email_unverified',
    );
    const other = user();
    sso.idp.setUser(other, { email: `stranger@${domain}`, email_verified: true, groups: ['console-admins'] });
    await expectFailure(customerId, (await ssoSignIn(sso.t, sso.idp, `s@${domain}`, other)).location, 'sso_no_account');
    // Just in time, but the IdP's email is outside the customer's domains.
    const jit = await setUp();
    const outsider = user();
    sso.idp.setUser(outsider, {
      email: `x@elsewhere-${randomUUID().slice(0, 6)}.org`,
      email_verified: true,
      groups: ['console-admins'],
    });
    await expectFailure(
      jit.customerId,
      (await ssoSignIn(sso.t, sso.idp, `o@${jit.domain}`, outsider)).location,
      'sso_no_account',
    );
  });

  it('sso_cancelled: the user cancels at the IdP (access_denied)', async () => {
    const { customerId, domain } = await setUp();
    const attempt = await ssoSignIn(sso.t, sso.idp, `c@${domain}`, 'whoever', { cancel: true });
    await expectFailure(customerId, attempt.location, 'sso_cancelled');
  });

  it('sso_failed: a foreign state, no binding cookie (as for a replayed callback), an iss of another issuer, a bad code, an IdP error', async () => {
    const { customerId, domain } = await setUp();
    const sub = user();
    sso.idp.setUser(sub, { email: `f@${domain}`, email_verified: true, groups: ['console-admins'] });
    const state = await ssoSignIn(sso.t, sso.idp, `f@${domain}`, sub, {
      tamper: (url) => url.searchParams.set('state', 'forged'),
    });
    await expectFailure(customerId, state.location, 'sso_failed', /state/);
    const unbound = await ssoSignIn(sso.t, sso.idp, `f@${domain}`, sub, { dropBinding: true });
    expect(unbound).toEqual({ location: '/sign-in?error=sso_failed', cookie: null });
    const iss = await ssoSignIn(sso.t, sso.idp, `f@${domain}`, sub, {
      tamper: (url) => url.searchParams.set('iss', 'https://evil.example.com'),
    });
    await expectFailure(customerId, iss.location, 'sso_failed', /code exchange or ID token/);
    const code = await ssoSignIn(sso.t, sso.idp, `f@${domain}`, sub, {
      tamper: (url) => url.searchParams.set('code', 'made-up'),
    });
    await expectFailure(customerId, code.location, 'sso_failed');
    expect([state, unbound, iss, code].every((a) => a.cookie === null)).toBe(true);
    // An IdP error other than access_denied.
    const idpError = await ssoSignIn(sso.t, sso.idp, `f@${domain}`, sub, {
      tamper: (url) => {
        url.searchParams.delete('code');
        url.searchParams.set('error', 'server_error');
      },
    });
    await expectFailure(customerId, idpError.location, 'sso_failed', /server_error/);
  });

  it('sso_failed: a client secret the IdP refuses fails the code exchange', async () => {
    const { owner, customerId, domain } = await setUp();
    const put = await sso.t.client.put(
      '/api/console/settings/sso',
      {
        issuer: sso.idp.issuer,
        clientId: sso.idp.clientId,
        clientSecret: 'not-the-secret',
        emailDomains: [domain],
        fullAdminGroups: ['console-admins'],
      },
      { as: owner },
    );
    expect(put.status).toBe(200);
    const sub = user();
    sso.idp.setUser(sub, { email: `w@${domain}`, email_verified: true, groups: ['console-admins'] });
    await expectFailure(customerId, (await ssoSignIn(sso.t, sso.idp, `w@${domain}`, sub)).location, 'sso_failed');
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
      sso.idp.setUser(sub, { email: `${sub}@${domain}`, email_verified: true, groups: ['console-admins'] });
      const attempt = await ssoSignIn(sso.t, sso.idp, `${sub}@${domain}`, sub, { redirectTo });
      expect(attempt.location).toBe(`${sso.t.config.PUBLIC_URL}/`);
    }
  });

  it('the start sets a short-lived HttpOnly, SameSite=Lax binding cookie and sends PKCE, state, nonce and login_hint', async () => {
    const { domain } = await setUp();
    const start = await sso.t.app.inject({
      method: 'GET',
      url: '/api/console/sso/start',
      query: { email: `p@${domain}` },
    });
    expect(start.statusCode).toBe(302);
    const url = new URL(String(start.headers.location));
    expect(url.origin).toBe(sso.idp.issuer);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: sso.idp.clientId,
      redirect_uri: `${sso.t.config.PUBLIC_URL}${SSO_CALLBACK}`,
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
