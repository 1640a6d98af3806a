import { startEmbeddedPostgres } from '@reg/db/embedded';
import pg from 'pg';
import { dataDir } from './env.ts';

/**
 * Runs SQL on the e2e server's own embedded database (found through its postmaster.pid), for
 * what a browser test can't wait for: weeks of a server's silence. Setup only, never under test.
 */
async function runSql(sql: string, values: unknown[] = []): Promise<void> {
  const { url } = await startEmbeddedPostgres(dataDir());
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql, values);
  } finally {
    await client.end();
  }
}

/** Moves a registration's last contact `days` into the past, as if the server had gone silent then. */
export const silenceFor = (registrationId: string, days: number) =>
  runSql(`UPDATE registrations SET last_contact_at = now() - make_interval(days => $2) WHERE id = $1::uuid`, [
    registrationId,
    days,
  ]);
