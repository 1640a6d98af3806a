import pg from 'pg';
import { inject } from 'vitest';

/** A connection straight to the tests' PostgreSQL (past PgBouncer when the suite runs through it). */
export async function directClient(databaseUrl: string): Promise<pg.Client> {
  const url = new URL(databaseUrl);
  url.port = new URL(inject('templateDatabaseUrl')).port;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A lock held by a connection of the test's own, in an open transaction (`sql` takes it): what
 * a request needs then waits, as on a database that hangs. `waiter` finds the server process of
 * a request queued behind it, `terminate` ends that process (pg_terminate_backend, as a
 * failover ends every connection), `release` commits and lets the rest through.
 */
export async function holdLock(databaseUrl: string, sql: string, values: unknown[] = []) {
  const holder = await directClient(databaseUrl);
  const watcher = await directClient(databaseUrl);
  await holder.query('BEGIN');
  await holder.query(sql, values);
  const holderPid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  let released = false;
  return {
    /** The pid of a server process waiting for the lock (polled until one queues, at most a minute). */
    async waiter(): Promise<number> {
      for (const end = Date.now() + 60_000; Date.now() < end;) {
        const { rows } = await watcher.query<{ pid: number }>(
          `SELECT pid FROM pg_stat_activity
           WHERE datname = current_database() AND wait_event_type = 'Lock' AND $1::int = ANY(pg_blocking_pids(pid))`,
          [holderPid],
        );
        if (rows[0]) return rows[0].pid;
        await sleep(50);
      }
      throw new Error('No request queued behind the lock.');
    },
    async terminate(pid: number): Promise<void> {
      await watcher.query('SELECT pg_terminate_backend($1)', [pid]);
    },
    async release(): Promise<void> {
      if (released) return;
      released = true;
      await holder.query('COMMIT');
      await holder.end();
      await watcher.end();
    },
  };
}
