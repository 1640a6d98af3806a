import { describe, expect, it } from 'vitest';
import { createAdmin, createSignedInAdmin, signIn } from './helpers/factories.ts';
import { startTestIdp } from './helpers/oidc-provider.ts';
import { configureSso, SSO_CALLBACK, ssoSignIn, ssoSuite, uniqueDomain } from './helpers/sso.ts';

const sso = ssoSuite();
const { setUp, user, auditOf, membership } = sso;

async function sessionOf(cookie: string | null) {
  expect(cookie).not.toBeNull();
  const response = await sso.t.client.get('/api/console/session', { headers: { cookie: cookie! } });
  expect(response.status).toBe(200);
  return response.json;
}

describe('single sign-on: who signs in', () => {
  it('creates an admin just in time, without a password, and signs them in with method sso', async () => {
    const { owner, customerId, domain } = await setUp();
    const sub = user();
    const email = `ada@${domain}`;
    sso.idp.setUser(sub, { email, email_verified: true, groups: ['console-readers'] });
    const attempt = await ssoSignIn(sso.t, sso.idp, email, sub, { redirectTo: '/audit?x=1' });
    expect(attempt.location).toBe(`${sso.t.config.PUBLIC_URL}/audit?x=1`);
    const session = await sessionOf(attempt.cookie);
    expect(session.admin).toMatchObject({ email, role: 'read-only' });
    const person = await sso.t.db.person.findUnique({ where: { email } });
    expect(person!.passwordHash).toBeNull();
    const [signedIn] = await auditOf(customerId, 'session.signed_in', email);
    expect(signedIn!.details).toMatchObject({ method: 'sso', issuer: sso.idp.issuer });
    const [added] = await auditOf(customerId, 'admin.added', email);
    expect(added!.details).toEqual({ role: 'read-only', method: 'sso' });
    const settings = await sso.t.client.get('/api/console/settings/sso', { as: owner });
    expect(settings.json.testedAt).not.toBeNull();
    const sessions = await sso.t.db.session.findMany({ where: { admin: { customerId, person: { email } } } });
    expect(sessions.map((s) => s.method)).toEqual(['sso']);
  });

  it('links the existing admin with a verified email once, then finds them by the link alone', async () => {
    const { customerId, domain } = await setUp();
    const admin = await createAdmin(sso.t.db, customerId);
    const sub = user();
    // The email typed picks the customer; the IdP's (verified) email picks the admin.
    const typed = `someone@${domain}`;
    sso.idp.setUser(sub, { email: admin.email, email_verified: true, groups: ['console-admins'] });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, typed, sub)).cookie)).admin.id).toBe(admin.id);
    // The IdP now says another, unverified email: the link still names the same admin.
    sso.idp.setUser(sub, { email: `renamed-${admin.email}`, email_verified: false, groups: ['console-admins'] });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, typed, sub)).cookie)).admin.id).toBe(admin.id);
  });

  it('activates an invited admin, who is then signed in', async () => {
    const { customerId, domain } = await setUp({ justInTime: false });
    const email = `invitee@${domain}`;
    const person = await sso.t.db.person.create({ data: { email } });
    const invited = await sso.t.db.admin.create({ data: { customerId, personId: person.id, status: 'invited' } });
    const sub = user();
    sso.idp.setUser(sub, { email, email_verified: true, groups: ['console-admins'] });
    const session = await sessionOf((await ssoSignIn(sso.t, sso.idp, email, sub)).cookie);
    expect(session.admin.id).toBe(invited.id);
    expect((await membership(customerId, email))!.status).toBe('active');
  });

  it('reads email and groups from UserInfo when the ID token lacks them, and takes one group as a string', async () => {
    const quiet = await startTestIdp({
      redirectUri: `${sso.t.config.PUBLIC_URL}${SSO_CALLBACK}`,
      claimsInIdToken: false,
      groupsClaim: 'roles',
    });
    try {
      const { admin, session } = await createSignedInAdmin(sso.t.app, sso.t.db);
      const domain = uniqueDomain();
      await configureSso(sso.t, session, quiet, {
        emailDomains: [domain],
        groupsClaim: 'roles',
        fullAdminGroups: ['Admins'],
        justInTime: true,
      });
      const sub = user();
      quiet.setUser(sub, { email: `grace@${domain}`, email_verified: true, groups: 'Admins' });
      const signedIn = await sessionOf((await ssoSignIn(sso.t, quiet, `grace@${domain}`, sub)).cookie);
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
    sso.idp.setUser(sub, { email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, email, sub)).cookie)).admin.role).toBe('read-only');
    sso.idp.setUser(sub, { email, email_verified: true, groups: ['other', 'console-admins'] });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, email, sub)).cookie)).admin.role).toBe('full');
    const [changed] = await auditOf(customerId, 'admin.role_changed', email);
    expect(changed!.details).toEqual({ from: 'read-only', to: 'full', source: 'sso' });
    sso.idp.setUser(sub, { email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, email, sub)).cookie)).admin.role).toBe('read-only');
  });

  it('keeps the role of the last full admin and of a break-glass admin', async () => {
    const { owner, customerId, domain } = await setUp();
    const typed = `someone@${domain}`;
    // The owner is the customer's only full admin: the IdP's read-only group does not demote them.
    const ownerSub = user();
    sso.idp.setUser(ownerSub, { email: owner.admin.email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, typed, ownerSub)).cookie)).admin.role).toBe('full');

    const second = await createAdmin(sso.t.db, customerId);
    const made = await sso.t.client.patch(`/api/console/admins/${second.id}`, { breakGlass: true }, { as: owner });
    expect(made.status).toBe(200);
    const sub = user();
    sso.idp.setUser(sub, { email: second.email, email_verified: true, groups: ['console-readers'] });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, typed, sub)).cookie)).admin.role).toBe('full');
    expect(await auditOf(customerId, 'admin.role_changed')).toHaveLength(0);
  });

  it('with both lists empty, the stored role applies', async () => {
    const { customerId, domain } = await setUp({ fullAdminGroups: [], readOnlyGroups: [], justInTime: false });
    const admin = await createAdmin(sso.t.db, customerId);
    const sub = user();
    sso.idp.setUser(sub, { email: admin.email, email_verified: true });
    expect((await sessionOf((await ssoSignIn(sso.t, sso.idp, `x@${domain}`, sub)).cookie)).admin.role).toBe('full');
  });
});

describe('enforced single sign-on', () => {
  it('refuses the right password of a non-break-glass admin (403) and lets break-glass admins in', async () => {
    const { owner, customerId, domain } = await setUp();
    const ownerSub = user();
    sso.idp.setUser(ownerSub, { email: owner.admin.email, email_verified: true, groups: ['console-admins'] });
    expect((await ssoSignIn(sso.t, sso.idp, `owner@${domain}`, ownerSub)).cookie).not.toBeNull();
    const breakGlass = await createAdmin(sso.t.db, customerId);
    expect(
      (await sso.t.client.patch(`/api/console/admins/${breakGlass.id}`, { breakGlass: true }, { as: owner })).status,
    ).toBe(200);
    const enforced = await sso.t.client.put(
      '/api/console/settings/sso',
      {
        issuer: sso.idp.issuer,
        clientId: sso.idp.clientId,
        emailDomains: [domain],
        fullAdminGroups: ['console-admins'],
        enforced: true,
      },
      { as: owner },
    );
    expect(enforced.status).toBe(200);

    const refused = await sso.t.client.post('/api/console/session', {
      email: owner.admin.email,
      password: 'correct horse battery',
    });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toBe('sso_required');
    expect(refused.cookies.filter((c) => c.value)).toHaveLength(0);
    const wrong = await sso.t.client.post('/api/console/session', {
      email: owner.admin.email,
      password: 'wrong password!',
    });
    expect(wrong.status).toBe(401);
    const failed = await auditOf(customerId, 'session.sign_in_failed', owner.admin.email);
    expect(failed.some((f) => (f.details as { reason?: string }).reason === 'sso_required')).toBe(true);

    await signIn(sso.t.app, breakGlass.email);
    const [entry] = await auditOf(customerId, 'session.signed_in', breakGlass.email);
    expect(entry!.details).toMatchObject({ method: 'password', breakGlass: true });
    // The owner's session from before enforcement stays.
    expect((await sso.t.client.get('/api/console/session', { as: owner })).status).toBe(200);

    // An invitee accepts by signing in with single sign-on, not with a new password.
    const invited = await sso.t.client.post(
      '/api/console/admins',
      { email: `new@${domain}`, role: 'full' },
      { as: owner },
    );
    expect(invited.status).toBe(201);
    const token = new URL(invited.json.invitationUrl).hash.replace('#token=', '');
    const accept = await sso.t.client.post('/api/console/invitations/accept', {
      token,
      password: 'a long and unusual passphrase 42',
    });
    expect(accept.status).toBe(403);
    expect(accept.json.error).toBe('sso_required');

    // A person with a password session elsewhere may not switch into this customer.
    const elsewhere = await createAdmin(sso.t.db);
    await createAdmin(sso.t.db, customerId, elsewhere.email);
    const session = await signIn(sso.t.app, elsewhere.email);
    const moved = await sso.t.client.put('/api/console/session/customer', { customerId }, { as: session });
    expect(moved.status).toBe(403);
    expect(moved.json.error).toBe('sso_required');
  });
});
