import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';
import { createSignedInAdmin, type SignedIn } from './helpers/factories.ts';
import { startTestIdp, type TestIdp } from './helpers/oidc-provider.ts';
import { configureSso, SSO_CALLBACK, ssoSignIn, uniqueDomain } from './helpers/sso.ts';

let t: TestApp;
let idp: TestIdp;
let owner: SignedIn;
let customerId: string;
const domain = uniqueDomain();

beforeAll(async () => {
  t = await createTestApp();
  idp = await startTestIdp({ redirectUri: `${t.config.PUBLIC_URL}${SSO_CALLBACK}` });
  const created = await createSignedInAdmin(t.app, t.db);
  owner = created.session;
  customerId = created.admin.customerId;
  await configureSso(t, owner, idp, {
    emailDomains: [domain],
    fullAdminGroups: ['console-admins'],
    readOnlyGroups: ['console-readers'],
    justInTime: true,
  });
}, 60_000);

afterAll(async () => {
  await idp?.close();
  await t?.app.close();
});

/** The clock stands still in tests: events are told apart by whom they name. */
const auditOf = (action: string, targetLabel?: string) =>
  t.db.auditEvent.findMany({
    where: { customerId, action, ...(targetLabel && { targetLabel }) },
    orderBy: { at: 'desc' },
  });

describe('single sign-on through a real OpenID Provider', () => {
  it('creates an admin just in time and signs them in with method sso', async () => {
    idp.setUser('jit-1', { email: `ada@${domain}`, email_verified: true, groups: ['console-readers'] });
    const attempt = await ssoSignIn(t, idp, `ada@${domain}`, 'jit-1', { redirectTo: '/audit' });
    expect(attempt.location).toBe(`${t.config.PUBLIC_URL}/audit`);
    expect(attempt.cookie).not.toBeNull();
    const session = await t.client.get('/api/console/session', { headers: { cookie: attempt.cookie! } });
    expect(session.status).toBe(200);
    expect(session.json.admin).toMatchObject({ email: `ada@${domain}`, role: 'read-only' });
    const [signedIn] = await auditOf('session.signed_in', `ada@${domain}`);
    expect(signedIn!.details).toMatchObject({ method: 'sso', issuer: idp.issuer });
    const [added] = await auditOf('admin.added', `ada@${domain}`);
    expect(added!.details).toMatchObject({ role: 'read-only', method: 'sso' });
    const settings = await t.client.get('/api/console/settings/sso', { as: owner });
    expect(settings.json.testedAt).not.toBeNull();
  });
});
