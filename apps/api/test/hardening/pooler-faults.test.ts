import { createDb, poolOf, type Db } from '@reg/db/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/app.ts';
import { emptyDatabase } from '../helpers/database.ts';
import { createSignedInAdmin, registerProduct } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { createClient, type TestClient } from '../helpers/client.ts';

/**
 * What a pooler in transaction mode does to a connection, done by hand on a connection of a
 * one-connection pool: its prepared statements vanish behind the client's back (DEALLOCATE
 * ALL, as when the next transaction lands on another server session). Such a connection is
 * closed rather than handed out again, a read is sent once more, a request answers 503 with
 * Retry-After at worst (never 500), and /readyz checks what requests need, not just SELECT 1.
 */
let url: string;
let db: Db;
let app: FastifyInstance;
let client: TestClient;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  // Straight to PostgreSQL even when the suite runs through PgBouncer: the faults are made by hand.
  const direct = new URL(await emptyDatabase('pooler'));
  direct.port = new URL(inject('templateDatabaseUrl')).port;
  url = direct.toString();
  db = createDb(url, { poolSize: 1, statementTimeoutMs: 30_000, poolMode: 'session' });
  app = await buildTestApp({ config: testConfig({ PUBLIC_URL: 'http://localhost:8080' }), db, clock });
  client = createClient(app);
}, 60_000);

afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
});

const backendPid = async (client: { query: Db['$queryRawUnsafe'] | ((text: string) => Promise<unknown>) }) =>
  (await (client.query as (text: string) => Promise<{ rows: { pid: number }[] }>)('SELECT pg_backend_pid() AS pid'))
    .rows[0]?.pid ?? 0;

describe('a connection a pooler broke', () => {
  it('is closed, not handed out again, after its prepared statement vanished in a transaction', async () => {
    const pool = poolOf(db);
    const first = await pool.connect();
    const pid = await backendPid(first);
    await first.query({ name: 'pooler-probe', text: 'SELECT 1 AS one' });
    await first.query('DEALLOCATE ALL');
    await expect(first.query({ name: 'pooler-probe', text: 'SELECT 1 AS one' })).rejects.toMatchObject({
      code: '26000',
    });
    // Released without an error, as Prisma's adapter releases a transaction's connection.
    first.release();
    const second = await pool.connect();
    try {
      expect(await backendPid(second)).not.toBe(pid);
      const { rows } = await second.query({ name: 'pooler-probe', text: 'SELECT 1 AS one' });
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      second.release();
    }
  });

  it('sends a read once more when its statement vanished', async () => {
    const pool = poolOf(db);
    await pool.query({ name: 'pooler-read', text: 'SELECT 2 AS two' });
    await pool.query('DEALLOCATE ALL');
    const { rows } = await pool.query({ name: 'pooler-read', text: 'SELECT 2 AS two' });
    expect(rows).toEqual([{ two: 2 }]);
  });

  it('answers an upload 503 with Retry-After at worst, and the retry lands', async () => {
    const { session } = await createSignedInAdmin(app, db);
    const product = await registerProduct(app, session, {}, () => clock.advance(5_000));
    expect((await sendUsage(client, product, usageReport(clock.now()))).status).toBe(202);
    await poolOf(db).query('DEALLOCATE ALL');
    const report = usageReport(clock.now(), { days: 2 });
    const broken = await sendUsage(client, product, report);
    expect([202, 503]).toContain(broken.status);
    if (broken.status === 503) {
      expect(broken.headers['retry-after']).toBeDefined();
      expect(broken.json).toMatchObject({ error: 'unavailable' });
    }
    const retried = await sendUsage(client, product, report);
    expect([200, 202]).toContain(retried.status);
  });

  it('turns /readyz red when a table requests read is unreachable, though SELECT 1 works', async () => {
    expect((await client.get('/readyz')).status).toBe(200);
    await db.$executeRawUnsafe('ALTER TABLE usage_reports RENAME TO usage_reports_away');
    try {
      const ready = await client.get('/readyz');
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ error: 'unavailable' });
    } finally {
      await db.$executeRawUnsafe('ALTER TABLE usage_reports_away RENAME TO usage_reports');
    }
    expect((await client.get('/readyz')).status).toBe(200);
  });
});
