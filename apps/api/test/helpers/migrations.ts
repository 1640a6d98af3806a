import { cp, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MIGRATIONS_DIR, migrate } from '@reg/db/migrator';
import pg from 'pg';
import { inject } from 'vitest';
import { forTheFile } from './fixture.ts';

/**
 * A new database with every migration before `migration` applied (not it): a test of a data
 * migration fills it as the product had, then applies the rest. Its URL and a connection to it.
 */
async function databaseBefore(migration: string): Promise<{ url: string; client: pg.Client }> {
  const template = inject('templateDatabaseUrl');
  const name = `migration_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const server = new pg.Client({ connectionString: template.replace(/\/[^/]+$/, '/postgres') });
  await server.connect();
  await server.query(`CREATE DATABASE "${name}"`);
  await server.end();
  const url = template.replace(/\/[^/]+$/, `/${name}`);
  const before = await mkdtemp(path.join(tmpdir(), 'migrations-'));
  for (const dir of (await readdir(MIGRATIONS_DIR)).filter((d) => d < migration))
    await cp(path.join(MIGRATIONS_DIR, dir), path.join(before, dir), { recursive: true });
  await migrate(url, before);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return { url, client };
}

/** databaseBefore for the whole file: made before its tests, its connection closed after them. */
export const useDatabaseBefore = (migration: string) =>
  forTheFile(
    () => databaseBefore(migration),
    ({ client }) => client.end(),
  );
