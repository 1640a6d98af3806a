import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '@reg/db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@reg/db/embedded';
import { migrate } from '@reg/db/migrator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/app.ts';
import { codeRequest, createSignedInAdmin, registerProduct, type SignedIn } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';
import { createClient, type Reply, type TestClient } from '../helpers/client.ts';

/**
 * PostgreSQL stopped under load, on a server of its own (the shared test server must stay up):
 * requests answer 503 unavailable within their deadline instead of hanging, /readyz turns red, and
 * when PostgreSQL is back on the same data and port everything recovers by itself; every
 * upload that got 202 is in the database, and every upload refused meanwhile lands once on retry.
 */
const DATABASE = 'outage';
const DEADLINE_MS = 6_000;
let dataDir: string;
let server: EmbeddedDatabase;
let port: number;
let db: Db;
let app: FastifyInstance;
let client: TestClient;
const clock = new ManualClock(new Date());

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'reg-outage-pg-'));
  server = await startEmbeddedPostgres(dataDir, { database: DATABASE });
  port = Number(new URL(server.url).port);
  await migrate(server.url);
  db = createDb(server.url, { poolSize: 8 });
  // The Prisma client's first query loads its query engine (seconds on a loaded machine): done
  // here, not in the first request, whose deadline is short in this file.
  await db.$queryRawUnsafe('SELECT 1');
  app = await buildTestApp({
    config: testConfig({
      PUBLIC_URL: 'http://localhost:8080',
      LIMIT_CODE_REQUESTS_PER_MINUTE: 1_000_000,
      // Idempotent work waits for the database within its deadline: a shorter one than
      // production's, so that many requests are sent while it is down, though long enough for
      // the first sign-in on a cold server on a loaded machine.
      REQUEST_TIMEOUT_MS: DEADLINE_MS,
    }),
    db,
    clock,
  });
  client = createClient(app);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.$disconnect();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

interface Sent {
  kind: 'upload' | 'code' | 'console';
  reportId?: string;
  records?: number;
  product?: number;
  body?: unknown;
  status: number;
  ms: number;
  response: Reply;
  /** The phase it was sent in, and the phase it was answered in. */
  phase: string;
  endPhase: string;
}

describe('PostgreSQL stopped under load', () => {
  it('answers 503 within seconds, turns /readyz red, recovers by itself, and loses no accepted upload', async () => {
    const { session } = await createSignedInAdmin(app, db);
    const products: Awaited<ReturnType<typeof registerProduct>>[] = [];
    for (let i = 0; i < 4; i++) products.push(await registerProduct(app, session, {}, () => clock.advance(5_000)));

    const sent: Sent[] = [];
    let phase = 'before';
    let running = true;
    let n = 0;
    const one = async (worker: number, s: SignedIn) => {
      const i = n++;
      const started = performance.now();
      const at = phase;
      if (i % 5 === 3) {
        const response = await client.post('/api/product/v1/codes', codeRequest());
        sent.push({
          kind: 'code',
          status: response.status,
          ms: performance.now() - started,
          response,
          phase: at,
          endPhase: phase,
        });
      } else if (i % 5 === 4) {
        const response = await client.get('/api/console/registrations?limit=5', { as: s });
        sent.push({
          kind: 'console',
          status: response.status,
          ms: performance.now() - started,
          response,
          phase: at,
          endPhase: phase,
        });
      } else {
        const product = (worker + i) % products.length;
        const report = usageReport(new Date(clock.now().getTime() - (i % 300) * 24 * 3600_000), {
          days: 1,
          products: [
            [`P${i % 7}`, 'STD'],
            [`Q${i % 5}`, 'ENT'],
          ],
        });
        const response = await sendUsage(client, products[product]!, report, { gzip: i % 2 === 0 });
        sent.push({
          kind: 'upload',
          reportId: report.reportId,
          records: 2,
          product,
          body: report,
          status: response.status,
          ms: performance.now() - started,
          response,
          phase: at,
          endPhase: phase,
        });
      }
    };
    const load = Promise.all(
      Array.from({ length: 6 }, async (_, worker) => {
        while (running) await one(worker, session);
      }),
    );
    const ready = async () => {
      const started = performance.now();
      const response = await client.get('/readyz');
      return { status: response.status, ms: performance.now() - started, body: response.body };
    };
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    // Up: everything is accepted.
    await sleep(1_500);
    expect((await ready()).status).toBe(200);

    // Down, under load.
    phase = 'stopping';
    await server.stop();
    phase = 'down';
    // Long enough for each worker to see a few deadlines pass.
    await sleep(12_000);
    const red = await ready();
    expect(red.status).toBe(503);
    expect(red.ms).toBeLessThan(5_000);
    expect(JSON.parse(red.body).error).toBe('unavailable');

    // Back on the same data directory and port: no restart of the app, no call to it.
    phase = 'restarting';
    server = await startEmbeddedPostgres(dataDir, { database: DATABASE, port });
    expect(Number(new URL(server.url).port)).toBe(port);
    phase = 'recovering';
    const backAt = performance.now();
    let green = await ready();
    while (green.status !== 200 && performance.now() - backAt < 20_000) {
      await sleep(250);
      green = await ready();
    }
    expect(green.status, 'readyz back to green within 20 s').toBe(200);
    const greenAfter = performance.now() - backAt;
    phase = 'after';
    await sleep(2_000);
    running = false;
    await load;

    // Every answer was an answer: no 500, no hang, and a refusal is the clean 503 of docs/protocol.md.
    const down = sent.filter((s) => s.phase === 'down');
    expect(down.length, 'requests sent while PostgreSQL was down').toBeGreaterThan(10);
    for (const s of sent) {
      if (s.status < 300) continue;
      expect(s.status, `${s.kind} in phase ${s.phase}: ${s.response.body}`).toBe(503);
      expect(expectCleanError(s.response).error).toBe('unavailable');
      expect(Number(s.response.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Not every one of them: idempotent work sent near the restart waits for the database within
    // its deadline and goes through.
    expect(down.filter((s) => s.status === 503).length).toBeGreaterThan(3);
    // Answered by the deadline at the latest (and a margin for a loaded machine's timers).
    expect(Math.max(...down.map((s) => s.ms)), 'slowest answer while down (ms)').toBeLessThan(DEADLINE_MS + 3_000);
    // After recovery, everything goes through again by itself.
    const after = sent.filter((s) => s.phase === 'after');
    expect(after.length).toBeGreaterThan(5);
    expect(after.filter((s) => s.status >= 300).map((s) => `${s.kind} ${s.status}`)).toEqual([]);
    for (const s of sent.filter((x) => x.endPhase === 'before')) expect(s.status, s.kind).toBeLessThan(300);

    // Every 202 is in the database with all its records.
    const uploads = sent.filter((s) => s.kind === 'upload');
    const accepted = uploads.filter((s) => s.status === 202);
    const stored = await db.usageReport.findMany({
      where: { reportId: { in: accepted.map((s) => s.reportId!) } },
      select: { reportId: true },
    });
    expect(new Set(stored.map((r) => r.reportId)).size).toBe(accepted.length);
    // The refused ones are retried as a License Server would: each lands exactly once.
    const refused = uploads.filter((s) => s.status === 503);
    for (const s of refused) {
      const retry = await sendUsage(client, products[s.product!]!, s.body);
      expect([200, 202], retry.body).toContain(retry.status);
    }
    const allIds = uploads.map((s) => s.reportId!);
    const reports = await db.usageReport.findMany({ where: { reportId: { in: allIds } }, select: { id: true } });
    expect(reports).toHaveLength(allIds.length);
    const recordCount = await db.usageRecord.count({ where: { usageReportId: { in: reports.map((r) => r.id) } } });
    expect(recordCount).toBe(uploads.length * 2);

    console.info(
      `outage: ${sent.length} requests (${uploads.length} uploads, ${accepted.length} accepted at once, ${refused.length} refused with 503 and retried), ` +
        `${down.length} while down (slowest ${Math.round(Math.max(...down.map((s) => s.ms)))} ms), readyz red in ${Math.round(red.ms)} ms, ` +
        `green again ${Math.round(greenAfter)} ms after PostgreSQL was back; ${recordCount} records, none lost or doubled`,
    );
  }, 180_000);
});
