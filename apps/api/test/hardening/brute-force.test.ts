import { createDb } from '@reg/db/client';
import type { FastifyInstance } from 'fastify';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { buildTestApp, createTestApp, useTestApp } from '../helpers/app.ts';
import {
  codeRequest,
  createAdmin,
  createSignedInAdmin,
  requestCode,
  signIn,
  TEST_PASSWORD,
  type SignedIn,
} from '../helpers/factories.ts';
import { expectCleanError, randomCode } from './support.ts';
import { createClient } from '../helpers/client.ts';

// Real password hashing and many requests on a machine shared with other test files: room to finish.
vi.setConfig({ testTimeout: 120_000 });

/**
 * docs/protocol.md's limits, each answering 429 rate_limited with Retry-After until its window
 * passes: failed code look-ups per admin (10) and per customer (50), sign-in failures per
 * address and per email, code requests per source address.
 */
const t = useTestApp({ LIMIT_SIGNIN_FAILURES_PER_ADDRESS: 3, LIMIT_SIGNIN_FAILURES_PER_EMAIL: 4 });

const LOOKUPS = ['/registrations/preview', '/registrations', '/registrations/deny'] as const;
const lookUp = (
  app: FastifyInstance,
  session: SignedIn,
  code: string,
  url: (typeof LOOKUPS)[number] = '/registrations/preview',
) => createClient(app).post(`/api/console${url}`, { code }, { as: session });
const signInRaw = (email: string, password: string, remoteAddress = '198.51.100.1', app = t.app) =>
  createClient(app).post('/api/console/session', { email, password }, { remoteAddress: remoteAddress });

function expectLimited(response: Awaited<ReturnType<typeof lookUp>>, maxSeconds = 15 * 60) {
  expect(response.status, response.body).toBe(429);
  expect(expectCleanError(response).error).toBe('rate_limited');
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
  return retryAfter;
}

describe('failed code look-ups', () => {
  it('refuses every look-up of an admin after 10 failures, whatever the code, until the window passes', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    // Typos (not 8 characters of the alphabet) and used codes are no failures.
    const used = await requestCode(t.app);
    expect((await lookUp(t.app, session, used.code, '/registrations')).status).toBe(201);
    for (let i = 0; i < 15; i++) {
      expect((await lookUp(t.app, session, 'ABC-DEF')).status).toBe(400);
      expect((await lookUp(t.app, session, used.code, LOOKUPS[i % 3])).json.error).toBe('code_already_used');
    }
    // One expired code and nine codes nobody asked for, through all three look-ups.
    const expired = await requestCode(t.app);
    t.clock.advance(900_000);
    expect((await lookUp(t.app, session, expired.code)).json.error).toBe('expired_code');
    for (let i = 0; i < 9; i++) {
      const response = await lookUp(t.app, session, randomCode(), LOOKUPS[i % 3]);
      expect(response.status).toBe(404);
      expect(response.json.error).toBe('code_not_found');
    }
    const live = await requestCode(t.app, { serverName: 'Genuine server' });

    // The 11th look-up is refused, also for a live code, a used code and on every look-up route.
    for (const url of LOOKUPS) expectLimited(await lookUp(t.app, session, live.code, url));
    expectLimited(await lookUp(t.app, session, used.code));
    const retryAfter = expectLimited(await lookUp(t.app, session, randomCode()));
    expect(retryAfter).toBe(15 * 60);
    // Refused look-ups answered nothing: the live code is still pending.
    expect((await t.db.registrationCode.findMany({ where: { serverName: 'Genuine server' } }))[0]!.status).toBe(
      'pending',
    );

    // Another admin of the same customer is not held by this admin's limit.
    const colleague = (await createSignedInAdmin(t.app, t.db, session.customer.id)).session;
    expect((await lookUp(t.app, colleague, live.code)).status).toBe(200);

    // The window runs from the oldest counted failure: refused a second before, free after.
    t.clock.advance(14 * 60_000 + 59_000);
    const later = await requestCode(t.app, { serverName: 'Later server' });
    expect(expectLimited(await lookUp(t.app, session, later.code))).toBe(1);
    t.clock.advance(1_000);
    const preview = await lookUp(t.app, session, later.code);
    expect(preview.status).toBe(200);
    expect(preview.json.serverName).toBe('Later server');
  });

  it('refuses every admin of a customer after 50 failures in all, and no other customer', async () => {
    const first = await createSignedInAdmin(t.app, t.db);
    const customerId = first.session.customer.id;
    const admins = [first.session];
    for (let i = 0; i < 5; i++) admins.push((await createSignedInAdmin(t.app, t.db, customerId)).session);
    // Five admins, ten failures each: every one of the 50 is answered, then the customer is closed.
    for (const session of admins.slice(0, 5)) {
      for (let i = 0; i < 10; i++)
        expect((await lookUp(t.app, session, randomCode(), LOOKUPS[i % 3])).json.error).toBe('code_not_found');
    }
    const live = await requestCode(t.app);
    const sixth = admins[5]!;
    for (const url of LOOKUPS) expectLimited(await lookUp(t.app, sixth, live.code, url));
    const elsewhere = (await createSignedInAdmin(t.app, t.db)).session;
    expect((await lookUp(t.app, elsewhere, live.code)).status).toBe(200);
    t.clock.advance(15 * 60_000);
    const fresh = await requestCode(t.app);
    expect((await lookUp(t.app, sixth, fresh.code, '/registrations')).status).toBe(201);
  });

  it('answers at most 10 guesses of an admin sent all at once, and keeps serving other customers meanwhile', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const { session: bystander } = await createSignedInAdmin(t.app, t.db);
    const live = await requestCode(t.app);
    const burst = Promise.all(
      Array.from({ length: 150 }, (_, i) => lookUp(t.app, session, randomCode(), LOOKUPS[i % 3])),
    );
    // While one admin's burst queues on its limit, another customer's look-up is served.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const served = await lookUp(t.app, bystander, live.code);
    const answers = await burst;
    expect(served.status, served.body).toBe(200);
    // Refused (429) or answered (404), never a 500 or a 503 from queueing on the pool.
    const others = answers.filter((a) => a.status !== 404 && a.status !== 429).map((a) => `${a.status} ${a.body}`);
    expect(others).toEqual([]);
    for (const refused of answers.filter((a) => a.status === 429)) expectLimited(refused);
    expect(answers.filter((a) => a.status === 404).length).toBeLessThanOrEqual(10);
  });
});

describe('sign-in failures', () => {
  it('refuses sign-ins from an address after its failures, for every email, and counts IPv6 per /64', async () => {
    const victim = await createAdmin(t.db);
    const bystander = await createAdmin(t.db);
    // Three failures (LIMIT_SIGNIN_FAILURES_PER_ADDRESS: 3) with three emails from one /64.
    for (const [i, email] of ['a@example.com', 'b@example.com', victim.email].entries()) {
      expect((await signInRaw(email, 'wrong password', `2001:db8:aa:1::${i + 1}`)).json.error).toBe(
        'invalid_credentials',
      );
    }
    // Now refused from anywhere in that /64, even with the right password of another admin.
    expectLimited(await signInRaw(bystander.email, TEST_PASSWORD, '2001:db8:aa:1:ffff:ffff:ffff:ffff'));
    expectLimited(await signInRaw(victim.email, TEST_PASSWORD, '2001:db8:aa:1::1'));
    // The next /64 and an IPv4 address are not held.
    expect((await signInRaw(bystander.email, TEST_PASSWORD, '2001:db8:aa:2::1')).status).toBe(200);
    expect((await signInRaw(victim.email, TEST_PASSWORD, '198.51.100.77')).status).toBe(200);
    t.clock.advance(15 * 60_000);
    expect((await signInRaw(bystander.email, TEST_PASSWORD, '2001:db8:aa:1::9')).status).toBe(200);
  });

  it('refuses an email after its failures from many addresses, with the right password too', async () => {
    const victim = await createAdmin(t.db);
    for (let i = 0; i < 4; i++)
      expect((await signInRaw(victim.email.toUpperCase(), 'wrong password', `192.0.2.${10 + i}`)).status).toBe(401);
    // The password is right and the address new: still refused, so a botnet can't spread its guesses.
    const limited = await signInRaw(victim.email, TEST_PASSWORD, '192.0.2.99');
    expectLimited(limited);
    // An unknown email is limited alike (its failures count too), and other emails are free.
    for (let i = 0; i < 4; i++) await signInRaw('ghost@example.com', 'wrong password', `192.0.2.${20 + i}`);
    expectLimited(await signInRaw('ghost@example.com', 'wrong password', '192.0.2.98'));
    const other = await createAdmin(t.db);
    expect((await signInRaw(other.email, TEST_PASSWORD, '192.0.2.99')).status).toBe(200);
    t.clock.advance(15 * 60_000);
    expect((await signInRaw(victim.email, TEST_PASSWORD, '192.0.2.99')).status).toBe(200);
  });

  it('lets at most the limit of guesses through when they come all at once', async () => {
    const victim = await createAdmin(t.db);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => signInRaw(victim.email, `wrong password ${i}`, `192.0.2.${120 + i}`)),
    );
    expect(answers.filter((a) => a.status === 401).length).toBeLessThanOrEqual(4);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
  });
});

describe('code requests per source address', () => {
  it('answers 429 rate_limited with Retry-After and the error body past the per-minute limit, per address', async () => {
    // In memory, per instance: an instance of its own, so other tests' code requests don't count.
    const limitedApp = await createTestApp({ LIMIT_CODE_REQUESTS_PER_MINUTE: 5 });
    onTestFinished(() => limitedApp.app.close());
    const send = (remoteAddress: string) =>
      createClient(limitedApp.app).post('/api/product/v1/codes', codeRequest(), { remoteAddress: remoteAddress });
    for (let i = 0; i < 5; i++) expect((await send('203.0.113.50')).status).toBe(201);
    const limited = await send('203.0.113.50');
    expectLimited(limited, 60);
    expect(Object.keys(limited.json).sort()).toEqual(['error', 'message']);
    expect(limited.headers['x-request-id']).toBeTruthy();
    // Another address is not held; IPv6 addresses of one /64 share their count.
    expect((await send('203.0.113.51')).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await send(`2001:db8:bb:1::${i + 1}`)).status).toBe(201);
    expectLimited(await send('2001:db8:bb:1:1234::1'), 60);
    expect((await send('2001:db8:bb:2::1')).status).toBe(201);
  });
});

describe('limits held in PostgreSQL', () => {
  it('hold across two app instances on one database', async () => {
    // A second instance with its own connection pool, as a second process would have.
    const secondDb = createDb(t.databaseUrl, { poolSize: 4 });
    const second = await buildTestApp({ config: testConfig({ ...t.config }), db: secondDb, clock: t.clock });
    try {
      // Code look-ups: five failures on each instance close the admin on both.
      const admin = await createAdmin(t.db);
      const session = await signIn(t.app, admin.email);
      for (let i = 0; i < 5; i++) expect((await lookUp(t.app, session, randomCode())).status).toBe(404);
      for (let i = 0; i < 5; i++) expect((await lookUp(second, session, randomCode())).status).toBe(404);
      const live = await requestCode(t.app);
      expectLimited(await lookUp(t.app, session, live.code));
      expectLimited(await lookUp(second, session, live.code));
      // Sign-in: failures on one instance close the address on the other.
      const victim = await createAdmin(t.db);
      for (let i = 0; i < 3; i++)
        await signInRaw(victim.email, 'wrong password', '198.51.100.200', i % 2 ? second : t.app);
      expectLimited(await signInRaw(victim.email, TEST_PASSWORD, '198.51.100.200', second));
      expectLimited(await signInRaw(victim.email, TEST_PASSWORD, '198.51.100.200', t.app));
    } finally {
      await second.close();
      await secondDb.$disconnect();
    }
  });
});
