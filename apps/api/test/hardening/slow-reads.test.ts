import { createDb, type Db } from '@reg/db/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { dbOptionsOf } from '../../src/database.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/app.ts';
import { testDatabase } from '../helpers/database.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';
import { createClient, type TestClient } from '../helpers/client.ts';
import { directClient } from '../helpers/locks.ts';

/**
 * Every statement has PostgreSQL's statement_timeout (DB_STATEMENT_TIMEOUT_MS): a read that
 * would run on and on (here: held up by another session's lock on the tables it reads, which
 * without the timeout would wait for ever) is cancelled by the server and answered 503
 * unavailable, and the same connections serve the next requests.
 */
const config = testConfig({ PUBLIC_URL: 'http://localhost:8080', DB_STATEMENT_TIMEOUT_MS: 300 });
let db: Db;
let app: FastifyInstance;
let client: TestClient;
let url: string;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  url = (await testDatabase()).url;
  if (config.DATABASE_POOL_MODE === 'transaction') {
    // Behind PgBouncer the timeout of statements outside a transaction is a role setting, as
    // docs/operations.md tells operators to make it: here for this test's database alone. It is
    // set past the pooler, before the pooler opens its first server connection to this database:
    // a role setting reaches only the connections opened after it.
    const admin = await directClient(url);
    await admin.query(
      `DO $$ BEGIN EXECUTE format('ALTER ROLE %I IN DATABASE %I SET statement_timeout = ${config.DB_STATEMENT_TIMEOUT_MS}', current_user, current_database()); END $$`,
    );
    await admin.end();
  }
  db = createDb(url, dbOptionsOf(config));
  app = await buildTestApp({ config, db, clock });
  client = createClient(app);
});
afterAll(async () => {
  await app.close();
  await db.$disconnect();
});

describe('reads that run too long', () => {
  it('are cancelled by the statement timeout and answered 503; the next ones go through', async () => {
    const { session } = await createSignedInAdmin(app, db);
    const product = await registerProduct(app, session, {}, () => clock.advance(5_000));
    await sendUsage(client, product, usageReport(clock.now(), { days: 30 }));
    const serverId = (await db.registration.findUniqueOrThrow({ where: { id: product.registrationId } }))
      .licenseServerId;
    const reads = (s: SignedIn) =>
      [
        '/api/console/registrations?limit=50',
        '/api/console/license-servers',
        `/api/console/license-servers/${serverId}`,
        `/api/console/license-servers/${serverId}/usage`,
        '/api/console/audit-events',
      ].map((path) => ({ path, send: () => client.get(path, { as: s }) }));
    for (const { path, send } of reads(session)) expect((await send()).status, path).toBe(200);

    const blocker = await directClient(url);
    try {
      await blocker.query('BEGIN');
      await blocker.query(
        'LOCK TABLE registrations, usage_records, usage_daily, usage_latest, audit_events IN ACCESS EXCLUSIVE MODE',
      );
      for (const { path, send } of reads(session)) {
        const response = await send();
        expect(response.status, `${path}: ${response.body}`).toBe(503);
        expect(expectCleanError(response).error).toBe('unavailable');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
      // Cancelled by the server, not only given up by the client: none of them still waits there
      // once the statement timeout has run out (through a pooler the cancel lands a moment after
      // the answer, so this waits for it rather than racing it).
      const blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const waiting = async () =>
        (
          await blocker.query<{ query: string }>(
            `SELECT query FROM pg_stat_activity
             WHERE datname = current_database() AND backend_type = 'client backend'
               AND $1::int = ANY(pg_blocking_pids(pid))`,
            [blockerPid],
          )
        ).rows.map((row) => row.query);
      await expect.poll(waiting, { timeout: 30_000, interval: 250 }).toEqual([]);
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
    for (const { path, send } of reads(session)) expect((await send()).status, path).toBe(200);
  });
});
