import { beforeAll, describe, expect, it } from 'vitest';
import { runOperatorCommand } from '../src/admin-cli.ts';
import { useTestApp } from './helpers/app.ts';
import { createClient, type TestClient } from './helpers/client.ts';
import { createAdmin, createSignedInAdmin, signIn, TEST_PASSWORD } from './helpers/factories.ts';
import { codeAt, enrol, nextStep, signInWithCode, startSignIn } from './helpers/mfa.ts';

const t = useTestApp({ LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS: 7 });
let client: TestClient;
beforeAll(async () => {
  client = createClient(t.app).with({ prefix: '/api/console' });
});

const refused = (reply: { status: number; json: { error?: string } }) => [reply.status, reply.json?.error];

describe('the second step refuses', () => {
  it('wrong codes: the 5th ends the pending sign-in, and they count toward the sign-in limits', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const { secret } = await enrol(t, session);
    const first = await startSignIn(t, admin.email, '198.51.100.7');
    for (let i = 0; i < 5; i++) {
      const wrong = await client.post(
        '/session/mfa',
        { code: '000000' },
        { headers: first.headers, remoteAddress: '198.51.100.7' },
      );
      expect(refused(wrong)).toEqual([400, 'mfa_code_invalid']);
    }
    nextStep(t);
    const ended = await client.post(
      '/session/mfa',
      { code: codeAt(secret, t.clock.now()) },
      { headers: first.headers },
    );
    expect(refused(ended)).toEqual([401, 'unauthenticated']);
    // Five failures of this email from this address so far; the limit is 7.
    const second = await startSignIn(t, admin.email, '198.51.100.7');
    expect(second.response.status).toBe(200);
    for (const code of ['111111', '222222']) {
      const wrong = await client.post(
        '/session/mfa',
        { code },
        { headers: second.headers, remoteAddress: '198.51.100.7' },
      );
      expect(wrong.status).toBe(400);
    }
    const limited = await client.post(
      '/session/mfa',
      { code: codeAt(secret, t.clock.now()) },
      { headers: second.headers, remoteAddress: '198.51.100.7' },
    );
    expect(refused(limited)).toEqual([429, 'rate_limited']);
  });

  it('no pending sign-in, a live session instead, both fields, neither, unknown fields, oversized, a foreign Origin', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    await enrol(t, session);
    expect(refused(await client.post('/session/mfa', { code: '123456' }))).toEqual([401, 'unauthenticated']);
    // A live session is no pending sign-in.
    expect((await client.post('/session/mfa', { code: '123456' }, { as: session })).status).toBe(401);
    const pending = await startSignIn(t, admin.email);
    for (const body of [
      { code: '123456', recoveryCode: 'ABCDE-FGHJK' },
      {},
      { code: '123456', extra: true },
      { code: 'x'.repeat(65) },
      { code: 123456 },
    ]) {
      const bad = await client.post('/session/mfa', body, { headers: pending.headers });
      expect(refused(bad)).toEqual([400, 'invalid_request']);
    }
    const foreign = await client.post(
      '/session/mfa',
      { code: '123456' },
      { headers: { ...pending.headers, origin: 'https://evil.example' } },
    );
    expect(refused(foreign)).toEqual([403, 'csrf_failed']);
  });

  it('a pending sign-in lives 5 minutes', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const { secret } = await enrol(t, session);
    const pending = await startSignIn(t, admin.email);
    t.clock.advance(5 * 60_000 + 1000);
    const late = await client.post(
      '/session/mfa',
      { code: codeAt(secret, t.clock.now()) },
      { headers: pending.headers },
    );
    expect(refused(late)).toEqual([401, 'unauthenticated']);
  });
});

describe('turning off and renewing codes', () => {
  it('needs the password and that it is on; off voids the recovery codes', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    expect(refused(await client.delete('/session/mfa/totp', { password: TEST_PASSWORD }, { as: session }))).toEqual([
      409,
      'mfa_not_enabled',
    ]);
    expect(
      refused(await client.post('/session/mfa/recovery-codes', { password: TEST_PASSWORD }, { as: session })),
    ).toEqual([409, 'mfa_not_enabled']);
    expect((await client.get('/session/mfa', { as: session })).json).toEqual({ enabled: false, recoveryCodesLeft: 0 });
    const { secret, recoveryCodes } = await enrol(t, session);
    expect((await client.get('/session/mfa', { as: session })).json).toEqual({ enabled: true, recoveryCodesLeft: 10 });

    expect(
      refused(await client.post('/session/mfa/recovery-codes', { password: 'wrong password' }, { as: session })),
    ).toEqual([403, 'password_incorrect']);
    const renewed = await client.post('/session/mfa/recovery-codes', { password: TEST_PASSWORD }, { as: session });
    expect(renewed.status).toBe(200);
    expect(renewed.json.recoveryCodes).toHaveLength(10);
    const old = await startSignIn(t, admin.email);
    expect(
      refused(await client.post('/session/mfa', { recoveryCode: recoveryCodes[0] }, { headers: old.headers })),
    ).toEqual([400, 'mfa_code_invalid']);
    expect(
      (await client.post('/session/mfa', { recoveryCode: renewed.json.recoveryCodes[0] }, { headers: old.headers }))
        .status,
    ).toBe(200);

    expect(refused(await client.delete('/session/mfa/totp', { password: 'wrong password' }, { as: session }))).toEqual([
      403,
      'password_incorrect',
    ]);
    expect((await client.delete('/session/mfa/totp', {}, { as: session })).status).toBe(400);
    expect((await client.delete('/session/mfa/totp', { password: TEST_PASSWORD }, { as: session })).status).toBe(204);
    expect(await t.db.recoveryCode.count({ where: { personId: admin.personId } })).toBe(0);
    // Off: the password alone signs in again.
    expect((await signIn(t.app, admin.email)).admin.email).toBe(admin.email);
    const actions = await t.db.auditEvent.findMany({
      where: { customerId: admin.customerId, action: { in: ['mfa.disabled', 'mfa.recovery_codes_renewed'] } },
    });
    expect(actions.map((a) => a.action).sort()).toEqual(['mfa.disabled', 'mfa.recovery_codes_renewed']);
    expect(secret).toHaveLength(32);
  });
});

describe('requiring two-step verification', () => {
  it('settings: {} is 400; turning it on needs the caller to have it; then password admins without it must enrol', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    expect(refused(await client.put('/settings', {}, { as: session }))).toEqual([400, 'invalid_request']);
    expect(refused(await client.put('/settings', { requireMfa: 'yes' }, { as: session }))).toEqual([
      400,
      'invalid_request',
    ]);
    expect(refused(await client.put('/settings', { requireMfa: true }, { as: session }))).toEqual([
      409,
      'mfa_not_enabled',
    ]);
    const { secret } = await enrol(t, session);
    const on = await client.put('/settings', { requireMfa: true }, { as: session });
    expect(on.json).toEqual({ staleRemovalDays: null, requireMfa: true });
    // A field left out keeps its value.
    const days = await client.put('/settings', { staleRemovalDays: 30 }, { as: session });
    expect(days.json).toEqual({ staleRemovalDays: 30, requireMfa: true });
    expect(refused(await client.delete('/session/mfa/totp', { password: TEST_PASSWORD }, { as: session }))).toEqual([
      409,
      'mfa_required',
    ]);

    const other = await createAdmin(t.db, admin.customerId);
    const restricted = await signIn(t.app, other.email);
    expect(restricted.mfaEnrollmentRequired).toBe(true);
    expect(refused(await client.get('/registrations', { as: restricted }))).toEqual([403, 'mfa_enrollment_required']);
    expect((await client.get('/session', { as: restricted })).status).toBe(200);
    await enrol(t, restricted);
    const me = await client.get('/session', { as: restricted });
    expect(me.json.mfaEnrollmentRequired).toBe(false);
    expect((await client.get('/registrations', { as: restricted })).status).toBe(200);
    // The caller still signs in with both steps.
    expect((await signInWithCode(t, admin.email, secret)).mfaEnrollmentRequired).toBe(false);
  });

  it('single sign-on sessions are not restricted, and a person without a password cannot enrol', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    await enrol(t, session);
    await client.put('/settings', { requireMfa: true }, { as: session });
    const sso = await createAdmin(t.db, admin.customerId);
    await t.db.person.update({ where: { id: sso.personId }, data: { passwordHash: null } });
    const { token, session: body } = await t.app.services.sessions.startSession({
      adminId: sso.id,
      method: 'sso',
      client: { address: '127.0.0.1', userAgent: null },
    });
    expect(body.mfaEnrollmentRequired).toBe(false);
    const cookie = `session=${t.app.signCookie(token)}`;
    const headers = { cookie, 'x-csrf-token': body.csrfToken };
    expect((await client.get('/registrations', { headers })).status).toBe(200);
    expect(refused(await client.post('/session/mfa/totp', undefined, { headers }))).toEqual([409, 'password_not_set']);
  });
});

describe('npm run admin -- reset-mfa', () => {
  const run = async (...argv: string[]) => {
    const out: string[] = [];
    const code = await runOperatorCommand(argv, async () => ({ db: t.db, close: async () => undefined }), {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    });
    return { code, out: out.join('\n') };
  };

  it('turns it off, audited as the operator; an unknown email is 3, nothing to reset is 4', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    await enrol(t, session);
    const done = await run('reset-mfa', '--email', admin.email.toUpperCase());
    expect(done.code).toBe(0);
    expect(done.out).toContain('is off');
    const person = await t.db.person.findUniqueOrThrow({ where: { id: admin.personId } });
    expect(person.totpEnabledAt).toBeNull();
    expect(await t.db.recoveryCode.count({ where: { personId: admin.personId } })).toBe(0);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { customerId: admin.customerId, action: 'mfa.reset' },
    });
    expect(audit.actorType).toBe('operator');
    expect((await run('reset-mfa', '--email', admin.email)).code).toBe(4);
    expect((await run('reset-mfa', '--email', 'nobody-here@example.com')).code).toBe(3);
    expect((await signIn(t.app, admin.email)).admin.email).toBe(admin.email);
  });
});
