import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './embedded.ts';

export interface Pooler {
  /** `databaseUrl` with its host and port replaced by the pooler's. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

/**
 * A real PgBouncer (Debian's package, 1.18 or later) in transaction mode in front of the
 * PostgreSQL at `databaseUrl`, on a free loopback port with a temporary configuration; any
 * database name of that server is reachable through it, with the same user and password.
 */
export async function startPgBouncer(databaseUrl: string, binary = 'pgbouncer'): Promise<Pooler> {
  const target = new URL(databaseUrl);
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'reg-pgbouncer-'));
  const user = decodeURIComponent(target.username);
  const quote = (value: string) => `"${value.replace(/"/g, '""')}"`;
  writeFileSync(path.join(dir, 'userlist.txt'), `${quote(user)} ${quote(decodeURIComponent(target.password))}\n`);
  writeFileSync(
    path.join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = scram-sha-256',
      `auth_file = ${path.join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      'max_client_conn = 1000',
      'default_pool_size = 20',
      // Tests make many databases: idle server connections are closed soon, not kept for minutes.
      'server_idle_timeout = 5',
      'ignore_startup_parameters = extra_float_digits',
      `logfile = ${path.join(dir, 'pgbouncer.log')}`,
      `pidfile = ${path.join(dir, 'pgbouncer.pid')}`,
      '',
    ].join('\n'),
  );
  // PgBouncer refuses to run as root: as root it runs as the postgres user, which needs to read these.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    chmodSync(dir, 0o755);
    spawnSync('chown', ['-R', 'postgres', dir]);
  }
  const child = spawn(binary, [...(asRoot ? ['-u', 'postgres'] : []), path.join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  target.port = String(port);
  const url = target.toString();
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; ; attempt++) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.end();
      return { url, port, stop };
    } catch (error) {
      await client.end().catch(() => undefined);
      if (attempt >= 50 || child.exitCode !== null) {
        await stop();
        throw new Error(`PgBouncer did not start: ${stderr || String(error)}`, { cause: error });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
