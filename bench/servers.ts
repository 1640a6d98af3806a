/**
 * What the stages measure, started for the run: an embedded PostgreSQL (fresh data directory,
 * free port), the API as a separate process in production mode, node-oidc-provider in another,
 * and the bench's own database clients. Each is stopped by cleanupAll (processes.ts).
 */
import path from 'node:path';
import { createDb } from '@reg/db/client';
import pg from 'pg';
import type { ServersContext } from './context.ts';
import { PASSWORD } from './fixtures.ts';
import { postmasterOf } from './measure.ts';
import { freePort, onCleanup, startDatabase, startNode } from './processes.ts';
import { USAGE_INGESTION } from './usage-ingestion.ts';

/** The admin the API seeds at start-up, who enrols servers and creates keys for the stages. */
export const OPERATOR_EMAIL = 'operator@bench.example.com';

type Servers = Pick<ServersContext, 'api' | 'oidc' | 'db' | 'pool' | 'postmasterPid'>;

export async function startServers(quick: boolean, log: (line: string) => void): Promise<Servers> {
  const database = await startDatabase(log);
  const port = await freePort();
  const api = await startNode(
    'API',
    'apps/api/src/server.ts',
    {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url,
      SESSION_SECRET: 'bench-session-secret-0123456789abcdefghij',
      CODE_HMAC_SECRET: 'bench-code-hmac-secret-0123456789abcdefghij',
      LOG_LEVEL: 'warn',
      SERVE_CONSOLE: 'false',
      // All the load comes from 127.0.0.1; the per-address flood guard would stop it at once.
      LIMIT_CODE_REQUESTS_PER_MINUTE: '1000000000',
      SEED_CUSTOMER_NAME: 'Bench Operator',
      SEED_ADMIN_EMAIL: OPERATOR_EMAIL,
      SEED_ADMIN_PASSWORD: PASSWORD,
      // The bench signs in with the password it set: not a temporary one to change first.
      SEED_ADMIN_PASSWORD_PERMANENT: 'true',
    },
    port,
    '/readyz',
    // BENCH_CPU_PROF=<dir>: a CPU profile of the API process, written when it stops.
    process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [],
  );
  log(`API (pid ${api.pid}) at ${api.url}`);
  const oidcPort = await freePort();
  const oidc = await startNode(
    'oidc-provider',
    'bench/oidc-provider.ts',
    { PORT: String(oidcPort), NODE_ENV: 'production' },
    oidcPort,
    '/.well-known/openid-configuration',
  );
  log(`oidc-provider (pid ${oidc.pid}) at ${oidc.url}`);

  // The bench seeds millions of rows: no 5-second statement timeout for its own client (the API keeps it).
  const db = createDb(database.url, { poolSize: 4, statementTimeoutMs: 600_000 });
  onCleanup('Prisma client', () => db.$disconnect());
  // The ingestion reference holds a connection for each of the load's, and the bench queries beside it.
  const ingestion = quick ? USAGE_INGESTION.quick : USAGE_INGESTION.full;
  const pool = new pg.Pool({ connectionString: database.url, max: ingestion.connections + 2 });
  onCleanup('pg pool', () => pool.end());
  return { api, oidc, db, pool, postmasterPid: await postmasterOf(pool) };
}
