import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createClient } from './helpers/client.ts';
import { createAdmin, createSignedInAdmin, signIn, tokenOf } from './helpers/factories.ts';
import { codeAt, enrol, nextStep, startSignIn } from './helpers/mfa.ts';
import { startTestIdp, type TestIdp } from './helpers/oidc-provider.ts';
import { mailText, useSmtpServer } from './helpers/receivers.ts';
import { configureSso, SSO_CALLBACK, ssoSignIn, uniqueDomain } from './helpers/sso.ts';

const smtp = useSmtpServer();
const t = useTestApp(() => ({ SMTP_URL: smtp.url }));
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({ redirectUri: `${t.config.PUBLIC_URL}${SSO_CALLBACK}` });
}, 60_000);

afterAll(async () => {
  await idp?.close();
});

const api = () => createClient(t.app).with({ prefix: '/api/console' });

/** An admin of the customer with two-step verification on (enrolled through the API). */
async function adminWithTotp(customerId: string) {
  const admin = await createAdmin(t.db, customerId);
  const { secret } = await enrol(t, await signIn(t.app, admin.email));
  return { ...admin, secret };
}

/**
 * A customer whose single sign-on was tried by its owner (so it may be enforced), with
 * `breakGlass` admins and `others` (not break-glass), each with two-step verification on,
 * and then single sign-on enforced: all through the API and the test IdP.
 */
async function enforcedCustomer({ breakGlass, others }: { breakGlass: number; others: number }) {
  const { admin, session: owner } = await createSignedInAdmin(t.app, t.db);
  const domain = uniqueDomain();
  const settings = { emailDomains: [domain], fullAdminGroups: ['console-admins'] };
  await configureSso(t, owner, idp, settings);
  const sub = `owner-${randomUUID().slice(0, 8)}`;
  idp.setUser(sub, { email: admin.email, email_verified: true, groups: ['console-admins'] });
  expect((await ssoSignIn(t, idp, `owner@${domain}`, sub)).cookie).not.toBeNull();

  const glass = [];
  for (let i = 0; i < breakGlass; i++) {
    const member = await adminWithTotp(admin.customerId);
    expect((await api().patch(`/admins/${member.id}`, { breakGlass: true }, { as: owner })).status).toBe(200);
    glass.push(member);
  }
  const plain = [];
  for (let i = 0; i < others; i++) plain.push(await adminWithTotp(admin.customerId));
  const enforced = await api().put(
    '/settings/sso',
    { issuer: idp.issuer, clientId: idp.clientId, ...settings, enforced: true },
    { as: owner },
  );
  expect(enforced.status).toBe(200);
  return { owner, customerId: admin.customerId, glass, plain };
}

/** The second step of a pending sign-in with the code the person's app shows now. */
async function secondStep(cookie: string, secret: string) {
  nextStep(t);
  return api().post('/session/mfa', { code: codeAt(secret, t.clock.now()) }, { headers: { cookie } });
}

const sessionCookie = (response: { cookies: { name: string; value: string }[] }) =>
  response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');

const signInsOf = (customerId: string, email: string, action: string) =>
  t.db.auditEvent.findMany({ where: { customerId, action, targetLabel: email } });

describe('break-glass and two-step verification under enforced single sign-on', () => {
  it('a break-glass admin with TOTP signs in by password and code; one who is not is refused before the code', async () => {
    const { customerId, glass, plain } = await enforcedCustomer({ breakGlass: 1, others: 1 });
    const [keeper] = glass;
    const [member] = plain;

    const first = await startSignIn(t, keeper!.email);
    expect(first.response.status).toBe(200);
    expect(first.response.json).toMatchObject({ mfaRequired: true });
    const second = await secondStep(first.cookie, keeper!.secret);
    expect(second.status).toBe(200);
    expect(second.json).toMatchObject({ admin: { email: keeper!.email }, customer: { id: customerId } });
    const session = await api().get('/session', { headers: { cookie: sessionCookie(second) } });
    expect(session.status).toBe(200);
    const [signedIn] = await signInsOf(customerId, keeper!.email, 'session.signed_in').then((all) =>
      all.filter((e) => (e.details as { mfa?: string }).mfa === 'totp'),
    );
    expect(signedIn!.details).toMatchObject({ method: 'password', mfa: 'totp', breakGlass: true });

    // Not break-glass: the right password is 403 sso_required, with no pending sign-in to finish.
    const sessionsBefore = await t.db.session.count({ where: { adminId: member!.id } });
    const refused = await startSignIn(t, member!.email);
    expect([refused.response.status, refused.response.json.error]).toEqual([403, 'sso_required']);
    expect(refused.response.cookies.filter((c) => c.value)).toHaveLength(0);
    const finish = await secondStep(refused.cookie, member!.secret);
    expect(finish.status).toBe(401);
    expect(await t.db.session.count({ where: { adminId: member!.id } })).toBe(sessionsBefore);
    const failed = await signInsOf(customerId, member!.email, 'session.sign_in_failed');
    expect(failed.map((f) => (f.details as { reason?: string }).reason)).toContain('sso_required');
  });

  it('break-glass taken away between the password and the code: the code gives no session (403)', async () => {
    const { owner, customerId, glass } = await enforcedCustomer({ breakGlass: 1, others: 0 });
    const [member] = glass;
    const pending = await startSignIn(t, member!.email);
    expect(pending.response.json).toMatchObject({ mfaRequired: true });
    expect((await api().patch(`/admins/${member!.id}`, { breakGlass: false }, { as: owner })).status).toBe(200);

    const sessionsBefore = await t.db.session.count({ where: { adminId: member!.id, mfaPending: false } });
    const second = await secondStep(pending.cookie, member!.secret);
    expect([second.status, second.json.error]).toEqual([403, 'sso_required']);
    expect(second.cookies.filter((c) => c.value)).toHaveLength(0);
    expect(await t.db.session.count({ where: { adminId: member!.id, mfaPending: false } })).toBe(sessionsBefore);
    // The pending sign-in is used up: the same cookie gets nothing more.
    expect((await secondStep(pending.cookie, member!.secret)).status).toBe(401);
    const failed = await signInsOf(customerId, member!.email, 'session.sign_in_failed');
    expect(failed.map((f) => (f.details as { reason?: string }).reason)).toContain('sso_required');
  });

  it('a reset request mails a link to a break-glass admin, and to the others only words to use single sign-on', async () => {
    const { glass, plain } = await enforcedCustomer({ breakGlass: 1, others: 1 });
    const mailTo = (address: string) =>
      vi.waitFor(
        async () => {
          await t.app.services.notifications.deliverDue();
          const found = smtp.mails.find((m) => m.to.includes(address));
          if (!found) throw new Error(`no mail to ${address} yet`);
          return mailText(found.raw);
        },
        { timeout: 30_000, interval: 50 },
      );
    for (const admin of [glass[0]!, plain[0]!]) {
      expect((await api().post('/password-reset', { email: admin.email })).status).toBe(202);
    }
    const withLink = await mailTo(glass[0]!.email);
    const link = withLink.match(/^(http:\/\/localhost:8080\/reset-password#token=[\w-]{43})$/m)?.[1];
    expect(link).toBeDefined();
    expect(tokenOf(link!)).toHaveLength(43);
    const withoutLink = await mailTo(plain[0]!.email);
    expect(withoutLink).toContain('single sign-on');
    expect(withoutLink).not.toContain('#token=');
    // No link was made for them at all.
    const person = await t.db.person.findUniqueOrThrow({ where: { email: plain[0]!.email } });
    expect(await t.db.passwordReset.count({ where: { personId: person.id } })).toBe(0);
  });
});
