import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { createAdmin, createSignedInAdmin, signIn, type SignedIn } from './helpers/factories.ts';
import { startTestIdp, type TestIdp } from './helpers/oidc-provider.ts';
import { configureSso, SSO_CALLBACK, ssoSignIn, uniqueDomain } from './helpers/sso.ts';

let t: TestApp;
let idp: TestIdp;

beforeAll(async () => {
  t = await createTestApp();
  idp = await startTestIdp({ redirectUri: `${t.config.PUBLIC_URL}${SSO_CALLBACK}` });
}, 60_000);

afterAll(async () => {
  await idp?.close();
  await t?.app.close();
});

interface Setup {
  owner: SignedIn;
  customerId: string;
  domain: string;
}

/** A customer with a full admin (password) and single sign-on set up through the API. */
async function setUp(settings: Record<string, unknown> = {}): Promise<Setup> {
  const { admin, session } = await createSignedInAdmin(t.app, t.db);
  const domain = uniqueDomain();
  await configureSso(t, session, idp, {
    emailDomains: [domain],
    fullAdminGroups: ['console-admins'],
    readOnlyGroups: ['console-readers'],
    justInTime: true,
    ...settings,
  });
  return { owner: session, customerId: admin.customerId, domain };
}

const user = () => `user-${randomUUID().slice(0, 8)}`;

/** The clock stands still in tests: events are told apart by whom they name. */
const auditOf = (customerId: string, action: string, targetLabel?: string) =>
  t.db.auditEvent.findMany({ where: { customerId, action, ...(targetLabel && { targetLabel }) } });

async function sessionOf(cookie: string | null) {
  expect(cookie).not.toBeNull();
  const response = await t.client.get('/api/console/session', { headers: { cookie: cookie! } });
  expect(response.status).toBe(200);
  return response.json;
}

async function membership(customerId: string, email: string) {
  return t.db.admin.findFirst({ where: { customerId, person: { email } }, include: { person: true } });
}

describe('single sign-on: who signs in', () => {
  it('creates an admin just in time, without a password, and signs them in with method sso', async () => {
    const { owner, customerId, domain } = await setUp();
    const sub = user();
    const email = `ada@${domain}`;
    idp.setUser(sub, { email, email_verified: true, groups: ['console-readers'] });
    const attempt = await ssoSignIn(t, idp, email, sub, { redirectTo: '/audit?x=1' });
    expect(attempt.location).toBe(`${t.config.PUBLIC_URL}/audit?x=1`);
    const session = await sessionOf(attempt.cookie);
    expect(session.admin).toMatchObject({ email, role: 'read-only' });
    const person = await t.db.person.findUnique({ where: { email } });
    expect(person!.passwordHash).toBeNull();
    const [signedIn] = await auditOf(customerId, 'session.signed_in', email);
    expect(signedIn!.details).toMatchObject({ method: 'sso', issuer: idp.issuer });
    const [added] = await auditOf(customerId, 'admin.added', email);
    expect(added!.details).toEqual({ role: 'read-only', method: 'sso' });
    const settings = await t.client.get('/api/console/settings/sso', { as: owner });
    expect(settings.json.testedAt).not.toBeNull();
    const sessions = await t.db.session.findMany({ where: { admin: { customerId, person: { email } } } });
    expect(sessions.map((s) => s.method)).toEqual(['sso']);
  });

  it('links the existing admin with a verified email once, then finds them by the link alone', async () => {
    const { customerId, domain } = await setUp();
    const admin = await createAdmin(t.db, customerId);
    const sub = user();
    // The email typed picks the customer; the IdP's (verified) email picks the admin.
    const typed = `someone@${domain}`;
    idp.setUser(sub, { email: admin.email, email_verified: true, groups: ['console-admins'] });
    expect((await sessionOf((await ssoSignIn(t, idp, typed, sub)).cookie)).admin.id).toBe(admin.id);
    // The IdP now says another, unverified email: the link still names the same admin.
    idp.setUser(sub, { email: `renamed-${admin.email}`, email_verified: false, groups: ['console-admins'] });
    expect((await sessionOf((await ssoSignIn(t, idp, typed, sub)).cookie)).admin.id).toBe(admin.id);
  });

  it('activates an invited admin, who is then signed in', async () => {
    const { customerId, domain } = await setUp({ justInTime: false });
    const email = `invitee@${domain}`;
    const person = await t.db.person.create({ data: { email } });
    const invited = await t.db.admin.create({ data: { customerId, personId: person.id, status: 'invited' } });
    const sub = user();
    idp.setUser(sub, { email, email_verified: true, groups: ['console-admins'] });
    const session = await sessionOf((await ssoSignIn(t, idp, email, sub)).cookie);
    expect(session.admin.id).toBe(invited.id);
    expect((await membership(customerId, email))!.status).toBe('active');
  });

  it('reads email and groups from UserInfo when the ID token lacks them, and takes one group as a string', async () => {
    const quiet = await startTestIdp({
      redirectUri: `${t.config.PUBLIC_URL}${SSO_CALLBACK}`,
      claimsInIdToken: false,
      groupsClaim: 'roles',
    });
    try {
      const { admin, session } = await createSignedInAdmin(t.app, t.db);
      const domain = uniqueDomain();
      await configureSso(t, session, quiet, {
        emailDomains: [domain],
        groupsClaim: 'roles',
        fullAdminGroups: ['Admins'],
        justInTime: true,
      });
      const sub = user();
      quiet.setUser(sub, { email: `grace@${domain}`, email_verified: true, groups: 'Admins' });
      const signedIn = await sessionOf((await ssoSignIn(t, quiet, `grace@${domain}`, sub)).cookie);
      expect(signedIn.admin).toMatchObject({ email: `grace@${domain}`, role: 'full' });
      expect(signedIn.customer.id).toBe(admin.customerId);
    } finally {
      await quiet.close();
    }
  });
});

describe('single sign-on: the role comes from the groups at every sign-in', () => {
  it('promotes and demotes with the groups, audited with source sso', async () => {
    const { customerId, domain } = await setUp();
    const sub = user();
    const email = `lin@${domain}`;
    idp.setUser(sub, { email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(t, idp, email, sub)).cookie)).admin.role).toBe('read-only');
    idp.setUser(sub, { email, email_verified: true, groups: ['other', 'console-admins'] });
    expect((await sessionOf((await ssoSignIn(t, idp, email, sub)).cookie)).admin.role).toBe('full');
    const [changed] = await auditOf(customerId, 'admin.role_changed', email);
    expect(changed!.details).toEqual({ from: 'read-only', to: 'full', source: 'sso' });
    idp.setUser(sub, { email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(t, idp, email, sub)).cookie)).admin.role).toBe('read-only');
  });

  it('keeps the role of the last full admin and of a break-glass admin', async () => {
    const { owner, customerId, domain } = await setUp();
    const typed = `someone@${domain}`;
    // The owner is the customer's only full admin: the IdP's read-only group does not demote them.
    const ownerSub = user();
    idp.setUser(ownerSub, { email: owner.admin.email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(t, idp, typed, ownerSub)).cookie)).admin.role).toBe('full');

    const second = await createAdmin(t.db, customerId);
    const made = await t.client.patch(`/api/console/admins/${second.id}`, { breakGlass: true }, { as: owner });
    expect(made.status).toBe(200);
    const sub = user();
    idp.setUser(sub, { email: second.email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(t, idp, typed, sub)).cookie)).admin.role).toBe('full');
    expect(await auditOf(customerId, 'admin.role_changed')).toHaveLength(0);
  });

  it('with both lists empty, the stored role applies', async () => {
    const { customerId, domain } = await setUp({ fullAdminGroups: [], readOnlyGroups: [], justInTime: false });
    const admin = await createAdmin(t.db, customerId);
    const sub = user();
    idp.setUser(sub, { email: admin.email, email_verified: true });
    expect((await sessionOf((await ssoSignIn(t, idp, `x@${domain}`, sub)).cookie)).admin.role).toBe('full');
  });
});

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

describe('enforced single sign-on', () => {
  it('refuses the right password of a non-break-glass admin (403) and lets break-glass admins in', async () => {
    const { owner, customerId, domain } = await setUp();
    const ownerSub = user();
    idp.setUser(ownerSub, { email: owner.admin.email, email_verified: true, groups: ['console-admins'] });
    expect((await ssoSignIn(t, idp, `owner@${domain}`, ownerSub)).cookie).not.toBeNull();
    const breakGlass = await createAdmin(t.db, customerId);
    expect(
      (await t.client.patch(`/api/console/admins/${breakGlass.id}`, { breakGlass: true }, { as: owner })).status,
    ).toBe(200);
    const enforced = await t.client.put(
      '/api/console/settings/sso',
      {
        issuer: idp.issuer,
        clientId: idp.clientId,
        emailDomains: [domain],
        fullAdminGroups: ['console-admins'],
        enforced: true,
      },
      { as: owner },
    );
    expect(enforced.status).toBe(200);

    const refused = await t.client.post('/api/console/session', {
      email: owner.admin.email,
      password: 'correct horse battery',
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('sso_required');
    expect(refused.cookies.filter((c) => c.value)).toHaveLength(0);
    const wrong = await t.client.post('/api/console/session', {
      email: owner.admin.email,
      password: 'wrong password!',
    });
    expect(wrong.status).toBe(401);
    const failed = await auditOf(customerId, 'session.sign_in_failed', owner.admin.email);
    expect(failed.some((f) => (f.details as { reason?: string }).reason === 'sso_required')).toBe(true);

    await signIn(t.app, breakGlass.email);
    const [entry] = await auditOf(customerId, 'session.signed_in', breakGlass.email);
    expect(entry!.details).toMatchObject({ method: 'password', breakGlass: true });
    // The owner's session from before enforcement stays.
    expect((await t.client.get('/api/console/session', { as: owner })).status).toBe(200);

    // An invitee accepts by signing in with single sign-on, not with a new password.
    const invited = await t.client.post('/api/console/admins', { email: `new@${domain}`, role: 'full' }, { as: owner });
    expect(invited.status).toBe(201);
    const token = new URL(invited.json.invitationUrl).hash.replace('#token=', '');
    const accept = await t.client.post('/api/console/invitations/accept', {
      token,
      password: 'a long and unusual passphrase 42',
    });
    expect(accept.status).toBe(403);
    expect(accept.json.error).toBe('sso_required');

    // A person with a password session elsewhere may not switch into this customer.
    const elsewhere = await createAdmin(t.db);
    await createAdmin(t.db, customerId, elsewhere.email);
    const session = await signIn(t.app, elsewhere.email);
    const moved = await t.client.put('/api/console/session/customer', { customerId }, { as: session });
    expect(moved.status).toBe(403);
    expect(moved.json.error).toBe('sso_required');
  });
});
