// npm run drill:failover: a 3-member Patroni cluster (etcd, synchronous_mode) behind HAProxy on
// loopback, two built API instances on it, License Servers uploading and the console read in a
// loop; SIGKILL of the leader, then a planned switchover. Prints the write gap, uploads
// acknowledged but lost, duplicates, the slowest request and the 503s; exits 1 when any is out
// of bounds. Bounded in time; every process and temporary folder is removed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@reg/db/embedded';
import pg from 'pg';
import { freshUsageRecords, registerServers, signIn } from '../bench/fixtures.ts';
import { killAll, killMember, startCluster, type Cluster } from './drill/cluster.ts';

const LIMIT_MS = 8 * 60_000;
const SERVERS = 20;
const EMAIL = 'drill@example.com';
const PASSWORD = 'drill-password-0123';
const dir = mkdtempSync(path.join(tmpdir(), 'reg-drill-'));
const apis: ChildProcess[] = [];
const cleanup = () => {
  for (const api of apis) api.kill('SIGKILL');
  killAll();
  rmSync(dir, { recursive: true, force: true });
};
const limit = setTimeout(() => {
  console.error(`The drill took over ${LIMIT_MS / 60_000} minutes: stopped.`);
  cleanup();
  process.exit(1);
}, LIMIT_MS);
const FAILOVER = 'failover (SIGKILL of the leader)';
const SWITCHOVER = 'switchover';
const failures = (lost: number, duplicates: number, slowest: number, gap: number) =>
  [
    lost > 0 && 'uploads lost',
    duplicates > 0 && 'uploads duplicated',
    slowest > 10 && 'slowest request',
    gap > 30 && 'write gap',
  ].filter((failure): failure is string => !!failure);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, ms: number, probe: () => Promise<T | null | false>): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value) return value;
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(500);
  }
}

/** The APIs' logged errors (pino level 50 and above), at most ten, for the summary. */
function apiErrors(): string[] {
  const lines = readdirSync(dir)
    .filter((name) => /^api-\d+\.log$/.test(name))
    .flatMap((name) => readFileSync(path.join(dir, name), 'utf8').split('\n'))
    .filter((line) => /"level":(5|6)\d/.test(line));
  return lines.slice(0, 10).map((line) => line.slice(0, 400));
}

async function startApi(cluster: Cluster, seed: boolean): Promise<string> {
  const port = await freePort();
  const api = spawn(process.execPath, ['scripts/run-api.mjs', 'server'], {
    // Its log (warnings and errors) goes to the drill's folder, to show what the other failures were.
    stdio: ['ignore', openSync(path.join(dir, `api-${port}.log`), 'a'), 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: cluster.url('registration'),
      SERVE_CONSOLE: 'false',
      SESSION_SECRET: 'drill-session-secret-0123456789abcdef',
      CODE_HMAC_SECRET: 'drill-code-hmac-secret-0123456789abcdef',
      LOG_LEVEL: 'warn',
      LIMIT_CODE_REQUESTS_PER_MINUTE: '100000',
      ...(seed && {
        SEED_CUSTOMER_NAME: 'Drill',
        SEED_ADMIN_EMAIL: EMAIL,
        SEED_ADMIN_PASSWORD: PASSWORD,
        SEED_ADMIN_PASSWORD_PERMANENT: 'true',
      }),
    },
  });
  apis.push(api);
  const base = `http://127.0.0.1:${port}`;
  await until(`the API on ${port}`, 120_000, async () => (await fetch(`${base}/readyz`)).status === 200);
  return base;
}

interface Sent {
  at: number;
  ms: number;
  status: number;
  kind: 'upload' | 'read';
  reportId?: string;
}

async function main() {
  console.log(`Drill in ${dir}: starting etcd, three Patroni members and HAProxy…`);
  const cluster = await startCluster(dir);
  const first = await until('a leader', 120_000, () => cluster.leader());
  console.log(`Leader: ${first.name}`);
  await until('the database through HAProxy', 60_000, async () => {
    const client = new pg.Client({ connectionString: cluster.url('postgres'), connectionTimeoutMillis: 2_000 });
    await client.connect();
    try {
      const exists = await client.query(`SELECT 1 FROM pg_database WHERE datname = 'registration'`);
      if (!exists.rowCount) await client.query('CREATE DATABASE registration');
      return true;
    } finally {
      await client.end();
    }
  });
  await until('a synchronous standby', 120_000, async () => /Sync Standby/.test(cluster.patronictl('list')));
  const bases = [await startApi(cluster, true), await startApi(cluster, false)];
  const session = await signIn(bases[0]!, EMAIL, PASSWORD);
  const credentials = await registerServers(bases[0]!, session, SERVERS);
  console.log(`Two API instances, ${SERVERS} License Servers registered.`);

  const sent: Sent[] = [];
  let running = true;
  const request = async (kind: Sent['kind'], url: string, init: RequestInit, reportId?: string) => {
    const at = Date.now();
    const status = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) })
      .then(async (r) => (await r.arrayBuffer(), r.status))
      .catch(() => 0);
    sent.push({ at, ms: Date.now() - at, status, kind, ...(reportId && { reportId }) });
  };
  const uploader = async (i: number) => {
    for (let n = 0; running; n++) {
      const reportId = randomUUID();
      const body = JSON.stringify({
        reportId,
        collectedAt: new Date().toISOString(),
        server: { productVersion: '11.17.2.0' },
        records: freshUsageRecords(2, n),
      });
      await request(
        'upload',
        `${bases[i % 2]}/api/product/v1/usage`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${credentials[i]}`, 'content-type': 'application/json' },
          body,
        },
        reportId,
      );
      await sleep(250);
    }
  };
  const reader = async (i: number) => {
    while (running) {
      await request('read', `${bases[i % 2]}/api/console/license-servers`, { headers: session.headers });
      await sleep(250);
    }
  };
  const load = [...credentials.map((_, i) => uploader(i)), reader(0), reader(1)];

  const gaps: Record<string, number> = {};
  const writeGap = async (name: string, act: () => void) => {
    await sleep(5_000);
    const start = Date.now();
    act();
    await until(`writes after the ${name}`, 60_000, async () =>
      sent.some((s) => s.kind === 'upload' && s.at > start + 500 && s.status === 202),
    );
    const failed = sent.filter(
      (s) => s.kind === 'upload' && s.at >= start - 1_000 && s.status !== 202 && s.status !== 200,
    );
    const lastOk = Math.max(
      start,
      ...sent
        .filter((s) => s.kind === 'upload' && s.status === 202 && s.at + s.ms <= (failed[0]?.at ?? start))
        .map((s) => s.at + s.ms),
    );
    const firstBack = Math.min(
      ...sent.filter((s) => s.kind === 'upload' && s.status === 202 && s.at > start).map((s) => s.at + s.ms),
    );
    gaps[name] = (firstBack - Math.min(lastOk, start)) / 1000;
    console.log(`${name}: writes back after ${gaps[name]!.toFixed(1)} s`);
  };
  const leader = (await cluster.leader())!;
  await writeGap(FAILOVER, () => killMember(leader));
  const next = await until('a new leader', 60_000, () => cluster.leader());
  await until('a synchronous standby again', 90_000, async () => /Sync Standby/.test(cluster.patronictl('list')));
  await writeGap(SWITCHOVER, () => {
    const candidate = cluster.members.find((m) => m !== next && m !== leader)!;
    const switchover = ['-c', next.config, 'switchover', '--leader', next.name, '--candidate', candidate.name];
    apis.push(spawn('patronictl', [...switchover, '--force'], { stdio: 'ignore' }));
  });
  await sleep(5_000);
  running = false;
  await Promise.all(load);

  const acknowledged = sent.filter((s) => s.kind === 'upload' && s.status === 202).map((s) => s.reportId!);
  const client = new pg.Client({ connectionString: cluster.url('registration') });
  await client.connect();
  const { rows } = await client.query<{ report_id: string; n: number }>(
    `SELECT report_id::text, count(*)::int AS n FROM usage_reports WHERE report_id = ANY($1::uuid[]) GROUP BY report_id`,
    [acknowledged],
  );
  await client.end();
  const stored = new Map(rows.map((row) => [row.report_id, row.n]));
  const lost = acknowledged.filter((id) => !stored.has(id)).length;
  const duplicates = rows.filter((row) => row.n > 1).length;
  const slowest = Math.max(...sent.map((s) => s.ms)) / 1000;
  const unavailable = sent.filter((s) => s.status === 503).length;
  const otherAnswers = sent.filter((s) => ![200, 202, 503].includes(s.status));
  const others = otherAnswers.length;
  // Which answers they were, by kind and status (0: no answer at all), so a new one can be told apart.
  const otherCounts = new Map<string, number>();
  for (const s of otherAnswers)
    otherCounts.set(`${s.kind} ${s.status}`, (otherCounts.get(`${s.kind} ${s.status}`) ?? 0) + 1);
  const otherKinds = [...otherCounts].map(([key, n]) => `${key} ×${n}`);
  if (others) {
    const errors = apiErrors();
    console.log(
      errors.length ? ['The APIs logged these errors:', ...errors].join('\n  ') : 'The APIs logged no errors.',
    );
  }
  const worstGap = Math.max(...Object.values(gaps));
  console.log(
    `requests ${sent.length}, uploads acknowledged ${acknowledged.length}, lost ${lost}, duplicates ${duplicates}, ` +
      `slowest ${slowest.toFixed(1)} s, 503s ${unavailable}, other failures ${others}` +
      `${others ? ` (${otherKinds.join(', ')})` : ''}, longest write gap ${worstGap.toFixed(1)} s`,
  );
  const ok = lost === 0 && duplicates === 0 && slowest <= 10 && worstGap <= 30;
  const verdict = ok ? 'passed' : `failed (${failures(lost, duplicates, slowest, worstGap).join(', ')})`;
  const when = `${new Date().toISOString().slice(0, 16).replace('T', ' ')}Z, load average ${loadavg()[0]!.toFixed(0)}`;
  const gapOf = (name: string) => `${(gaps[name] ?? NaN).toFixed(1)} s`;
  record(
    `| ${when} | ${gapOf(FAILOVER)} | ${gapOf(SWITCHOVER)} | ${sent.length} | ${acknowledged.length} | ${lost} | ` +
      `${duplicates} | ${slowest.toFixed(1)} s | ${unavailable} | ${verdict} |`,
  );
  return ok;
}

/** A row for this run at the top of the drill's table in docs/benchmarks.md (its section and header are kept by hand). */
function record(row: string) {
  const file = 'docs/benchmarks.md';
  const doc = readFileSync(file, 'utf8');
  const section = doc.indexOf('## Failover drill');
  const header = doc.indexOf('\n| run', section);
  const separator = header < 0 ? -1 : doc.indexOf('\n', doc.indexOf('\n', header + 1) + 1);
  if (section < 0 || separator < 0) {
    console.log(`No table under "## Failover drill" in ${file}; this run's row:\n${row}`);
    return;
  }
  writeFileSync(file, `${doc.slice(0, separator + 1)}${row}\n${doc.slice(separator + 1)}`);
}

main()
  .then((ok) => {
    clearTimeout(limit);
    cleanup();
    process.exit(ok ? 0 : 1);
  })
  .catch((error) => {
    console.error(error);
    console.error(`Logs were in ${dir}.`);
    cleanup();
    process.exit(1);
  });
