import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '@reg/db/embedded';

/** Debian's PostgreSQL binaries, which Patroni runs. */
const PG_BIN = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1'], {
  encoding: 'utf8',
}).stdout.trim();
const PASSWORD = 'drill-password';

export interface Member {
  name: string;
  pgPort: number;
  restPort: number;
  config: string;
  process: ChildProcess;
}

export interface Cluster {
  members: Member[];
  /** HAProxy's port: always the leader. */
  port: number;
  url: (database: string) => string;
  patronictl: (...args: string[]) => string;
  /** The member Patroni made the leader, asked of its REST API. */
  leader(): Promise<Member | null>;
  stop(): Promise<void>;
}

const processes: ChildProcess[] = [];
/** Everything started here is killed on exit, whatever happens. */
export function killAll() {
  for (const child of processes) if (child.exitCode === null && child.pid) kill(child);
}
function kill(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL') {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
}

function start(command: string, args: string[], log: string, env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const out = `${log}`;
  const child = spawn('sh', ['-c', `exec "$0" "$@" >>'${out}' 2>&1`, command, ...args], {
    detached: true,
    stdio: 'ignore',
    env,
  });
  processes.push(child);
  return child;
}

/** etcd, three Patroni members (synchronous_mode) and HAProxy, all on loopback under `dir`. */
export async function startCluster(dir: string): Promise<Cluster> {
  chmodSync(dir, 0o755);
  const [etcdClient, etcdPeer, haproxyPort] = [await freePort(), await freePort(), await freePort()];
  start(
    'etcd',
    [
      '--name=drill',
      `--data-dir=${path.join(dir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=drill=http://127.0.0.1:${etcdPeer}`,
    ],
    path.join(dir, 'etcd.log'),
  );
  const members: Member[] = [];
  for (const name of ['pg1', 'pg2', 'pg3']) {
    const [pgPort, restPort] = [await freePort(), await freePort()];
    const data = path.join(dir, name);
    mkdirSync(data, { recursive: true, mode: 0o700 });
    const config = path.join(dir, `${name}.yml`);
    writeFileSync(
      config,
      JSON.stringify({
        scope: 'drill',
        name,
        restapi: { listen: `127.0.0.1:${restPort}`, connect_address: `127.0.0.1:${restPort}` },
        etcd3: { hosts: [`127.0.0.1:${etcdClient}`] },
        bootstrap: {
          dcs: {
            ttl: 10,
            loop_wait: 2,
            retry_timeout: 3,
            synchronous_mode: true,
            postgresql: { use_pg_rewind: true, parameters: { wal_log_hints: 'on', max_connections: 200 } },
          },
          initdb: [{ encoding: 'UTF8' }],
        },
        postgresql: {
          listen: `127.0.0.1:${pgPort}`,
          connect_address: `127.0.0.1:${pgPort}`,
          data_dir: path.join(data, 'data'),
          bin_dir: PG_BIN,
          pgpass: path.join(data, 'pgpass'),
          authentication: {
            superuser: { username: 'postgres', password: PASSWORD },
            replication: { username: 'replicator', password: PASSWORD },
            rewind: { username: 'rewinder', password: PASSWORD },
          },
          pg_hba: [
            'local all all trust',
            'host all all 127.0.0.1/32 md5',
            'host replication replicator 127.0.0.1/32 md5',
          ],
        },
      }),
    );
    spawnSync('chown', ['-R', 'postgres', dir]);
    const asPostgres = process.getuid?.() === 0;
    const child = asPostgres
      ? start('runuser', ['-u', 'postgres', '--', 'patroni', config], path.join(dir, `${name}.log`))
      : start('patroni', [config], path.join(dir, `${name}.log`));
    members.push({ name, pgPort, restPort, config, process: child });
  }
  const backends = members.map((m) => `  server ${m.name} 127.0.0.1:${m.pgPort} check port ${m.restPort}`).join('\n');
  const haproxyConfig = path.join(dir, 'haproxy.cfg');
  writeFileSync(
    haproxyConfig,
    `global\n  maxconn 1000\ndefaults\n  mode tcp\n  timeout connect 3s\n  timeout client 60s\n  timeout server 60s\n` +
      `listen primary\n  bind 127.0.0.1:${haproxyPort}\n  option httpchk GET /primary\n  http-check expect status 200\n` +
      `  default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions\n${backends}\n`,
  );
  start('haproxy', ['-db', '-f', haproxyConfig], path.join(dir, 'haproxy.log'));
  const url = (database: string) => `postgresql://postgres:${PASSWORD}@127.0.0.1:${haproxyPort}/${database}`;
  return {
    members,
    port: haproxyPort,
    url,
    patronictl: (...args) =>
      spawnSync('patronictl', ['-c', members[0]!.config, ...args], { encoding: 'utf8', timeout: 60_000 }).stdout,
    async leader() {
      for (const member of members) {
        const ok = await fetch(`http://127.0.0.1:${member.restPort}/primary`, { signal: AbortSignal.timeout(1_000) })
          .then((r) => r.status === 200)
          .catch(() => false);
        if (ok) return member;
      }
      return null;
    },
    async stop() {
      for (const child of processes) if (child.exitCode === null) kill(child, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      killAll();
      for (const member of members) killPostgres(member);
    },
  };
}

/** SIGKILL of a member: Patroni and its PostgreSQL together (the machine lost). */
export function killMember(member: Member) {
  const postmaster = Number(
    readFileSync(path.join(path.dirname(member.config), member.name, 'data', 'postmaster.pid'), 'utf8').split('\n')[0],
  );
  kill(member.process);
  if (postmaster > 0) process.kill(postmaster, 'SIGKILL');
}

/** A member's PostgreSQL, by its own pid file (never by name): for the cleanup. */
function killPostgres(member: Member) {
  try {
    killMember(member);
  } catch {
    // Not running.
  }
}
