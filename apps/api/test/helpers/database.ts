import { createDb, type Db } from '@reg/db/client';
import pg from 'pg';
import { inject } from 'vitest';

let cached: Promise<{ db: Db; url: string }> | undefined;

/** This worker's own database, cloned from the migrated template on first use. */
export function testDatabase(): Promise<{ db: Db; url: string }> {
  cached ??= (async () => {
    const url = await emptyDatabase('test');
    // Tests seed tens of thousands of rows in one statement on a machine the whole suite shares:
    // a statement timeout of a minute here, and as long to connect (through PgBouncer, behind
    // a loaded machine, a new server session took over the 3 s default). Tests of the timeouts
    // build a client of their own.
    return { db: createDb(url, { poolSize: 20, statementTimeoutMs: 60_000, connectTimeoutMs: 60_000 }), url };
  })();
  return cached;
}

/** A new, migrated and empty database cloned from the template; its URL. */
export async function emptyDatabase(prefix: string): Promise<string> {
  const template = inject('templateDatabaseUrl');
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: template.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE template_registration`);
  await admin.end();
  const url = new URL(template.replace(/\/[^/]+$/, `/${name}`));
  const pooledPort = inject('pooledPort');
  if (pooledPort) url.port = String(pooledPort);
  return url.toString();
}
