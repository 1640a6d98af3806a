import { runWithDeadline } from '@reg/db/deadline';
import { createDb, poolOf, type Db } from '@reg/db/client';
import { request as httpRequest } from 'node:http';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { DEADLINE_MESSAGE } from '../../src/plugins/request-deadline.ts';
import { buildTestApp, useTestApp } from '../helpers/app.ts';
import { codeRequest, createSignedInAdmin, registerProduct, type SignedIn } from '../helpers/factories.ts';
import { createKey } from '../fleet/fleet-helpers.ts';
import { directClient, holdLock } from '../helpers/locks.ts';
import { upload, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';

/**
 * REQUEST_TIMEOUT_MS: a request is answered 503 unavailable within it whatever the database
 * does: a statement that waits on a lock (the tests' database cancels nothing for a minute),
 * a pool whose only connection is taken. The service works again as soon as the database does.
 * The data is made through an app with the tests' long deadline; the requests under test go
 * to a second app over the same database with a short one.
 */
const TIMEOUT_MS = 4_000;
/** Far below every other bound on the way (the tests' statement timeout is a minute). */
const WELL_WITHIN_MS = 30_000;
const t = useTestApp();
let quick: FastifyInstance;
let session: SignedIn;
let product: Awaited<ReturnType<typeof registerProduct>>;

beforeAll(async () => {
  session = (await createSignedInAdmin(t.app, t.db)).session;
  product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
  quick = await buildTestApp({
    config: testConfig({ PUBLIC_URL: 'http://localhost:8080', REQUEST_TIMEOUT_MS: TIMEOUT_MS }),
    db: t.db,
    clock: t.clock,
  });
}, 60_000);

afterAll(async () => {
  await quick?.close();
});

/** The deadline's answer: 503 unavailable, Retry-After, the error body; and it came well before anything else would end the wait. */
async function expectDeadlineAnswer(request: Promise<LightMyRequestResponse>) {
  const started = Date.now();
  const response = await request;
  expect(Date.now() - started).toBeLessThan(WELL_WITHIN_MS);
  expect(response.statusCode, response.body).toBe(503);
  expect(expectCleanError({ ...response, status: response.statusCode })).toEqual({
    error: 'unavailable',
    message: DEADLINE_MESSAGE,
  });
  expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
}

const heartbeat = (app: FastifyInstance) =>
  app.inject({ url: '/api/product/v1/registration', headers: product.bearer });

describe('a database that hangs', () => {
  it('answers a heartbeat waiting on a lock 503 by the deadline, and 200 once the lock is gone', async () => {
    const lock = await holdLock(t.databaseUrl, 'SELECT 1 FROM registrations WHERE id = $1::uuid FOR UPDATE', [
      product.registrationId,
    ]);
    try {
      await expectDeadlineAnswer(heartbeat(quick));
    } finally {
      await lock.release();
    }
    expect((await heartbeat(quick)).statusCode).toBe(200);
  });

  it('answers an upload waiting on a lock 503; sent again, it is stored once', async () => {
    const report = usageReport(t.clock.now(), { days: 3 });
    const lock = await holdLock(t.databaseUrl, 'SELECT 1 FROM registrations WHERE id = $1::uuid FOR UPDATE', [
      product.registrationId,
    ]);
    try {
      await expectDeadlineAnswer(upload(quick, product.bearer, report));
    } finally {
      await lock.release();
    }
    // The first try was in the database already and may have gone on once the lock was gone: the
    // License Server's retry then finds it (200, a duplicate), else stores it (202). Once either way.
    const again = await upload(quick, product.bearer, report);
    expect([200, 202]).toContain(again.statusCode);
    const stored = await t.db.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM usage_reports WHERE report_id = $1::uuid',
      report.reportId,
    );
    expect(stored[0]!.n).toBe(1);
  });

  it('answers a key registration held past its deadline 503, and lands nothing after that answer', async () => {
    const { key, secret } = await createKey(t, session, { maxUses: 1 });
    const instanceId = crypto.randomUUID();
    const register = () =>
      quick.inject({
        method: 'POST',
        url: '/api/product/v1/registrations',
        payload: { ...codeRequest(), instanceId, registrationKey: secret },
      });
    // The use is counted last, on the key's row: held here, the registration waits there.
    const lock = await holdLock(t.databaseUrl, 'SELECT 1 FROM registration_keys WHERE id = $1::uuid FOR UPDATE', [
      key.id,
    ]);
    let waiter: number;
    try {
      const answer = register();
      waiter = await lock.waiter();
      await expectDeadlineAnswer(answer);
    } finally {
      await lock.release();
    }
    // The transaction goes on once the lock is gone, to its end: a rollback, not a commit. Watched
    // from a connection of its own (one of the pool's could be that very session).
    const watcher = await directClient(t.databaseUrl);
    try {
      const stateOf = async () =>
        (await watcher.query<{ state: string }>('SELECT state FROM pg_stat_activity WHERE pid = $1', [waiter!])).rows[0]
          ?.state ?? 'gone';
      await expect.poll(stateOf, { timeout: WELL_WITHIN_MS, interval: 100 }).toMatch(/^(idle|gone)$/);
    } finally {
      await watcher.end();
    }
    const landed = await t.db.$queryRawUnsafe<{ uses: number; registrations: number }[]>(
      `SELECT (SELECT uses FROM registration_keys WHERE id = $1::uuid) AS uses,
              (SELECT count(*)::int FROM registrations WHERE instance_id = $2::uuid) AS registrations`,
      key.id,
      instanceId,
    );
    expect(landed).toEqual([{ uses: 0, registrations: 0 }]);
    // The License Server's retry registers, once: the key's one use was not spent on the 503.
    expect((await register()).statusCode).toBe(201);
  });

  it('answers a console read waiting on a locked table 503, and 200 once it is free', async () => {
    const read = () => quick.inject({ url: '/api/console/license-servers', headers: session.headers });
    const lock = await holdLock(t.databaseUrl, 'LOCK TABLE license_servers IN ACCESS EXCLUSIVE MODE');
    try {
      await expectDeadlineAnswer(read());
    } finally {
      await lock.release();
    }
    expect((await read()).statusCode).toBe(200);
  });
});

describe('a slow client', () => {
  it('is not answered 503 for the time its body takes to arrive', async () => {
    const base = await quick.listen({ port: 0, host: '127.0.0.1' });
    const report = JSON.stringify(usageReport(t.clock.now(), { days: 2 }));
    const half = Math.floor(report.length / 2);
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const sending = httpRequest(
        `${base}/api/product/v1/usage`,
        {
          method: 'POST',
          headers: { ...product.bearer, 'content-type': 'application/json', 'content-length': report.length },
        },
        (response) => {
          let body = '';
          response.on('data', (chunk: Buffer) => (body += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      sending.on('error', reject);
      // Half the body, then the rest once a whole deadline has passed.
      sending.write(report.slice(0, half));
      setTimeout(() => sending.end(report.slice(half)), TIMEOUT_MS + 1_000);
    });
    expect(answer.status, answer.body).toBe(202);
  });
});

describe('a pool whose connections are all taken', () => {
  let db: Db;
  let pooled: FastifyInstance;

  beforeAll(async () => {
    // One connection, and a wait for it far longer than the deadline: only the deadline ends it.
    const config = testConfig({
      PUBLIC_URL: 'http://localhost:8080',
      REQUEST_TIMEOUT_MS: TIMEOUT_MS,
      DB_POOL_SIZE: 1,
      DB_CONNECT_TIMEOUT_MS: 60_000,
    });
    db = createDb(t.databaseUrl, { poolSize: 1, connectTimeoutMs: 60_000, statementTimeoutMs: 60_000 });
    pooled = await buildTestApp({ config, db, clock: t.clock });
  });

  afterAll(async () => {
    await pooled?.close();
    await db?.$disconnect();
  });

  it('answers 503 by the deadline while the pool waits, then serves again', async () => {
    const held = await poolOf(db).connect();
    try {
      await expectDeadlineAnswer(heartbeat(pooled));
    } finally {
      held.release();
    }
    expect((await heartbeat(pooled)).statusCode).toBe(200);
  });

  it('starts no work with a connection had after the deadline', async () => {
    const marker = `deadline-${Date.now()}`;
    const held = await poolOf(db).connect();
    let write: Promise<unknown>;
    try {
      // A table of this file's own database (a temporary one would not outlive PgBouncer's transaction).
      await held.query('CREATE TABLE IF NOT EXISTS deadline_probe (marker text)');
      write = runWithDeadline({ at: Date.now() + 200, expired: false, retries: true }, () =>
        poolOf(db).query('INSERT INTO deadline_probe VALUES ($1)', [marker]),
      );
      // Waits for the pool until the deadline has passed, whatever the machine's load.
      await new Promise((resolve) => setTimeout(resolve, 400));
    } finally {
      held.release();
    }
    await expect(write).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    const { rows } = await poolOf(db).query('SELECT count(*)::int AS n FROM deadline_probe WHERE marker = $1', [
      marker,
    ]);
    expect(rows).toEqual([{ n: 0 }]);
    await poolOf(db).query('DROP TABLE deadline_probe');
  });
});
