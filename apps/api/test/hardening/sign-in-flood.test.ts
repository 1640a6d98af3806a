import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createAdmin, createSignedInAdmin, registerProduct, TEST_PASSWORD } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';

// Real password hashing on a machine shared with other test files: room to finish.
vi.setConfig({ testTimeout: 120_000 });

/**
 * Every sign-in costs a scrypt hash on libuv's thread pool, which gzip bodies need too. A
 * flood is bounded three ways: hashes at once and sign-ins waiting (beyond: 503 at once),
 * failures per IPv6 /48 as well as per /64, and all failures together per minute.
 */
let t: TestApp;
afterEach(async () => {
  await t.app.close();
  // The global budget is one key for the whole database; each test starts with it empty.
  await t.db.attemptFailure.deleteMany({ where: { key: 'signin:all' } });
});

const signInFrom = (email: string, password: string, remoteAddress: string) =>
  t.client.post('/api/console/session', { email, password }, { remoteAddress: remoteAddress });

describe('a flood of sign-ins', () => {
  it('refuses sign-ins beyond the queue at once (503), and an upload goes through while sign-ins still wait', async () => {
    t = await createTestApp({
      SIGNIN_HASHING_CONCURRENCY: 2,
      SIGNIN_HASHING_QUEUE: 6,
      LIMIT_SIGNIN_FAILURES_PER_EMAIL: 1_000,
      LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS: 1_000,
      LIMIT_SIGNIN_FAILURES_PER_MINUTE: 1_000,
    });
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));

    const FLOOD = 60;
    const answers: number[] = [];
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      signInFrom(admin.email, `wrong password ${i}`, `198.51.100.${i + 1}`).then((response) => {
        answers.push(response.status);
        if (response.status === 503) {
          expect(expectCleanError(response).error).toBe('unavailable');
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
        }
        return response;
      }),
    );
    const uploaded = await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 30 }), { gzip: true });
    const answeredWhenUploaded = answers.length;
    await Promise.all(flood);

    expect(uploaded.status, uploaded.body).toBe(202);
    // The upload did not wait for the flood: sign-ins holding a place were still unanswered.
    const refused = answers.filter((status) => status === 503).length;
    expect(answeredWhenUploaded).toBeLessThan(FLOOD);
    expect(new Set(answers)).toEqual(new Set([401, 503]));
    // Beyond the 2 hashing and 6 waiting, refused; and those were answered before the hashes.
    expect(refused).toBeGreaterThanOrEqual(FLOOD - 2 * 8);
    expect(answers.slice(0, refused).every((status) => status === 503)).toBe(true);
    // When the flood is over, signing in works.
    expect((await signInFrom(admin.email, TEST_PASSWORD, '198.51.100.200')).status).toBe(200);
  });

  it('counts IPv6 failures per /48 too: many /64s of one site are limited together', async () => {
    t = await createTestApp({ LIMIT_SIGNIN_FAILURES_PER_NETWORK: 3 });
    const admin = await createAdmin(t.db);
    for (let i = 1; i <= 3; i++) {
      expect((await signInFrom(admin.email, 'wrong password', `2001:db8:7:${i}::1`)).status).toBe(401);
    }
    const limited = await signInFrom(`other-${admin.email}`, 'wrong password', '2001:db8:7:4::1');
    expect(limited.status, limited.body).toBe(429);
    expect(expectCleanError(limited).error).toBe('rate_limited');
    // Another /48 is not.
    expect((await signInFrom(admin.email, 'wrong password', '2001:db8:8:1::1')).status).toBe(401);
  });

  it('keeps a global budget of failed sign-ins per minute, from any address and email', async () => {
    t = await createTestApp({ LIMIT_SIGNIN_FAILURES_PER_MINUTE: 4 });
    const admin = await createAdmin(t.db);
    for (let i = 1; i <= 4; i++) {
      expect((await signInFrom(`nobody-${i}@example.com`, 'wrong password', `203.0.113.${i}`)).status).toBe(401);
    }
    const limited = await signInFrom(admin.email, TEST_PASSWORD, '203.0.113.99');
    expect(limited.status, limited.body).toBe(429);
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    t.clock.advance(61_000);
    expect((await signInFrom(admin.email, TEST_PASSWORD, '203.0.113.99')).status).toBe(200);
  });
});
