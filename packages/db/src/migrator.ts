import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/migrations', import.meta.url));
/** Any fixed number: instances starting together take turns applying migrations. */
const LOCK_ID = 72_707_369;

export interface MigrationResult {
  applied: string[];
}

/** How long an instance waits for another one's migration before giving up at start. */
const LOCK_TIMEOUT = '60s';

/**
 * Applies prisma/migrations/<name>/migration.sql in order, keeping Prisma's own
 * `_prisma_migrations` bookkeeping (checksum = SHA-256 of the file), so `prisma migrate`
 * can take over wherever its engine can be downloaded. Refuses a migration whose file
 * changed after it was applied, and one that failed half-way. See docs/decisions/002.
 * Each migration runs in a transaction of its own that first takes a transaction-scoped
 * advisory lock (instances starting together take turns; the lock ends with the transaction,
 * so it is never left held, even through PgBouncer in transaction mode, where a session lock
 * and its unlock could run on different server connections), waiting at most LOCK_TIMEOUT.
 */
export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const names = await listMigrations(dir);
    const applied: string[] = [];
    for (;;) {
      const next = await applyNext(client, dir, names);
      if (!next) return { applied };
      applied.push(next);
    }
  } finally {
    await client.end();
  }
}

/** Under the lock: the first migration not applied yet, applied; null when none is left. */
async function applyNext(client: pg.Client, dir: string, names: string[]): Promise<string | null> {
  await client.query(`BEGIN; SET LOCAL lock_timeout = '${LOCK_TIMEOUT}'`);
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const done = new Map(rows.map((row) => [row.migration_name, row]));
    for (const name of names) {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      const checksum = createHash('sha256').update(sql).digest('hex');
      const previous = done.get(name);
      if (!previous) {
        await apply(client, name, sql, checksum);
        await client.query('COMMIT');
        return name;
      }
      if (!previous.finished_at) {
        throw new Error(`Migration ${name} failed earlier; fix the database by hand, then mark it rolled back.`);
      }
      if (previous.checksum !== checksum) {
        throw new Error(`Migration ${name} was edited after it was applied; add a new migration instead.`);
      }
    }
    await client.query('COMMIT');
    return null;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

async function listMigrations(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function apply(client: pg.Client, name: string, sql: string, checksum: string): Promise<void> {
  await client.query('SAVEPOINT migration');
  try {
    await client.query(sql);
  } catch (error) {
    // Kept as a failed migration (started, never finished) so the next start refuses to go on.
    await client.query('ROLLBACK TO SAVEPOINT migration');
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, logs) VALUES ($1, $2, $3, $4)`,
      [randomUUID(), checksum, name, String(error)],
    );
    await client.query('COMMIT');
    throw new Error(`Migration ${name} failed: ${(error as Error).message}`, { cause: error });
  }
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 1)`,
    [randomUUID(), checksum, name],
  );
}
