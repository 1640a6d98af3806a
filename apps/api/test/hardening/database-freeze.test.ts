import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createDb, type Db } from '@reg/db/client';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '@reg/db/embedded';
import { migrate } from '@reg/db/migrator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.ts';
import { dbOptionsOf } from '../../src/database.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { buildTestApp } from '../helpers/app.ts';
import { codeRequest, createSignedInAdmin, registerProduct, type SignedIn } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';
import { createClient, type Reply } from '../helpers/client.ts';

/**
 * PostgreSQL frozen, not stopped: its processes get SIGSTOP, so connections stay open and
 * nothing answers (a failover, a network black hole). Only the cluster this file starts is
 * frozen, by the pids in its own postmaster.pid. Every request must still be answered, 503
 * unavailable with Retry-After, and after SIGCONT everything works again without a restart.
 * Small timeouts through the settings keep the file short.
 */
const config = testConfig({
  PUBLIC_URL: 'http://localhost:8080',
  LIMIT_CODE_REQUESTS_PER_MINUTE: 1_000_000,
  DB_STATEMENT_TIMEOUT_MS: 800,
  DB_CONNECT_TIMEOUT_MS: 800,
  DB_POOL_SIZE: 6,
  // Retries wait for the database within the request's deadline: a shorter one than production's
  // here too, though long enough for the first sign-in on a cold server on a loaded machine
  // (4 s was not, once: 503 by the deadline).
  REQUEST_TIMEOUT_MS: 6_000,
});
/** A request is answered by its deadline at the latest; twice that is a hang. */
const ANSWER_WITHIN_MS = 2 * config.REQUEST_TIMEOUT_MS;
let dataDir: string;
let server: EmbeddedDatabase;
let db: Db;
let app: FastifyInstance;
let frozen: number[] = [];
const clock = new ManualClock(new Date());

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'reg-freeze-pg-'));
  server = await startEmbeddedPostgres(dataDir, { database: 'freeze' });
  await migrate(server.url);
  db = createDb(server.url, dbOptionsOf(config));
  // The Prisma client's first query loads its query engine (seconds on a loaded machine): done
  // here, not in the first request, whose deadline is short in this file.
  await db.$queryRawUnsafe('SELECT 1');
  app = await buildTestApp({ config, db, clock });
}, 120_000);

afterAll(async () => {
  signal('SIGCONT');
  await app?.close();
  await db?.$disconnect();
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
}, 60_000);

/** The postmaster of this file's cluster and its children (backends, checkpointer, …). */
async function clusterPids(): Promise<number[]> {
  const postmaster = Number((await readFile(path.join(dataDir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[0]);
  const children = execFileSync('ps', ['-o', 'pid=', '--ppid', String(postmaster)], { encoding: 'utf8' })
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((pid) => pid > 0);
  return [postmaster, ...children];
}

function signal(name: 'SIGSTOP' | 'SIGCONT') {
  for (const pid of frozen) {
    try {
      process.kill(pid, name);
    } catch {
      // gone already
    }
  }
  if (name === 'SIGCONT') frozen = [];
}

/** Fails the test, rather than hanging it, when a request gets no answer at all. */
function answered(request: Promise<Reply>, what: string): Promise<Reply> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    request.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer while PostgreSQL was frozen`)), ANSWER_WITHIN_MS);
    }),
  ]);
}

describe('PostgreSQL frozen (SIGSTOP) and thawed', () => {
  it('answers every request 503 unavailable, then works again without a restart', async () => {
    const client = createClient(app);
    const { session } = await createSignedInAdmin(app, db);
    const product = await registerProduct(app, session, {}, () => clock.advance(5_000));
    const requests = (s: SignedIn) => ({
      'console list': () => client.get('/api/console/registrations?limit=5', { as: s }),
      'code request': () => client.post('/api/product/v1/codes', codeRequest()),
      upload: () => sendUsage(client, product, usageReport(clock.now(), { days: 3 }), { gzip: true }),
      heartbeat: () => client.get('/api/product/v1/registration', { as: product }),
      'sign-in': () => client.post('/api/console/session', { email: 'nobody@example.com', password: 'wrong password' }),
    });
    // Up: every kind goes through (the sign-in with a wrong password is refused as such).
    for (const [what, send] of Object.entries(requests(session))) {
      expect((await send()).status, what).toBeLessThan(what === 'sign-in' ? 402 : 300);
    }

    frozen = await clusterPids();
    signal('SIGSTOP');
    try {
      // Several of each at once, and the code requests in two waves: the second batch must go
      // (and fail by itself) after the first one timed out.
      const sends = Object.entries(requests(session));
      // Sign-ins twelve at a time: they share one attempt counter, whose queue must not add up their waits.
      const wave = () =>
        sends.flatMap(([what, send]) =>
          Array.from({ length: what === 'sign-in' ? 12 : 3 }, () => answered(send(), what)),
        );
      const first = wave();
      await new Promise((resolve) => setTimeout(resolve, 300));
      const answers = [...(await Promise.all(first)), ...(await Promise.all(wave()))];
      for (const response of answers) {
        expect(response.status, response.body).toBe(503);
        expect(expectCleanError(response).error).toBe('unavailable');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      }
      expect((await answered(client.get('/readyz'), 'readyz')).status).toBe(503);
    } finally {
      signal('SIGCONT');
    }

    // Thawed: the same app, its same pool, answers everything again.
    let ready = await client.get('/readyz');
    for (let i = 0; i < 40 && ready.status !== 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      ready = await client.get('/readyz');
    }
    expect(ready.status).toBe(200);
    for (const [what, send] of Object.entries(requests(session))) {
      const response = await send();
      expect(response.status, `${what}: ${response.body}`).toBeLessThan(what === 'sign-in' ? 402 : 300);
    }
  }, 120_000);
});
