import { createDb, type Db } from '@reg/db/client';
import pg from 'pg';
import { inject } from 'vitest';

let cached: Promise<{ db: Db; url: string }> | undefined;

/** This worker's own database, cloned from the migrated template on first use. */
export function testDatabase(): Promise<{ db: Db; url: string }> {
  cached ??= (async () => {
    const url = await emptyDatabase('test');
    return { db: createDb(url, { poolSize: 20 }), url };
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
  return template.replace(/\/[^/]+$/, `/${name}`);
}
