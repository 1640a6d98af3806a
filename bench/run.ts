/**
 * `npm run bench`: the numbers of docs/design.md ("The numbers it is held to"), ours beside the
 * reference in one run, written to docs/benchmarks.md. `npm run bench -- --quick` runs the
 * same code at tiny sizes in a few seconds (CI: it checks the bench works, not the numbers)
 * and writes its report to a temporary file instead.
 *
 * It starts its own embedded PostgreSQL (fresh data directory, free port), the API as a
 * separate process in production mode, and node-oidc-provider in another; load comes from
 * autocannon in a forked process, only to 127.0.0.1. Everything it started is stopped on
 * the way out, also on failure.
 */
import { fleetEnrollment } from './fleet-enrollment.ts';
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createDb } from '@reg/db/client';
import pg from 'pg';
import { encodeKeyset } from '../apps/api/src/lib/keyset.ts';
import {
  call,
  codeRequestBody,
  customerWithAdmin,
  loadRegistrations,
  loadUsageRecords,
  PASSWORD,
  quiesce,
  registerServers,
  signIn,
  timeRequests,
  usageRecords,
  type Session,
} from './fixtures.ts';
import type { LoadJob, LoadResult } from './load.ts';
import { cleanupAll, freePort, onCleanup, ROOT, startDatabase, startNode, type Child } from './processes.ts';
import { renderReport, type Figure } from './report.ts';
import { consoleSizes, type ConsoleSizes } from './console-size.ts';
import { USAGE_SCALE, usageScale } from './usage-scale.ts';
import { FLEET_SCALE, fleetScale } from './fleet-scale.ts';

const quick = process.argv.includes('--quick');
/** `--only=codes,usage,list,delete,console,usage-scale,fleet,fleet-enrollment`: a part of the run, for working on one figure (the report then goes to a temporary file). */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const part = (name: string) => !only || only.includes(name);
const SIZES = quick
  ? {
      warmup: 1,
      duration: 1,
      codeConnections: 4,
      usageConnections: 2,
      servers: 4,
      registrations: 1_000,
      listSamples: 10,
      deleteRecords: 10_000,
      otherServers: 2,
      otherRate: 10,
      otherRecords: 10,
      steadySeconds: 2,
    }
  : {
      warmup: 3,
      duration: 10,
      codeConnections: 32,
      usageConnections: 8,
      servers: 64,
      registrations: 100_000,
      listSamples: 200,
      deleteRecords: 1_000_000,
      otherServers: 16,
      otherRate: 50,
      otherRecords: 100,
      steadySeconds: 10,
    };
const RECORDS_PER_REPORT = 1_000;
/** autocannon processes driving the code issuance runs (the same for ours and the reference). */
const CODE_LOAD_WORKERS = 2;
/**
 * Code issuance is measured in rounds, ours and the reference in turn (ABBA order), the rates
 * from the totals: the machine's speed drifts over seconds (neighbours), and one pair of runs
 * told more about that drift than about either server.
 */
const CODE_ROUNDS = quick ? 1 : 4;

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);
const figures: Figure[] = [];
const notes: string[] = [];

/**
 * A load job split over `workers` autocannon processes (connections shared out): one
 * autocannon process tops out near the rate of a fast server on these machines, and then it,
 * not the server, would be measured. Latency percentiles of the parts are combined
 * conservatively (the highest of each).
 */
async function loadParallel(job: LoadJob, workers: number): Promise<LoadResult> {
  const parts = await Promise.all(
    Array.from({ length: workers }, (_, i) =>
      load({ ...job, connections: Math.floor(job.connections / workers) + (i < job.connections % workers ? 1 : 0) }),
    ),
  );
  // Side by side: the run lasted as long as its longest part.
  return mergeLoads(parts, Math.max(...parts.map((p) => p.seconds)));
}

/** Load results as one: totals of the counts and CPU, the given seconds, the highest of each latency percentile. */
function mergeLoads(parts: LoadResult[], seconds: number): LoadResult {
  const sum = (pick: (p: LoadResult) => number) => parts.reduce((total, p) => total + pick(p), 0);
  const statusCodes: Record<string, number> = {};
  for (const part of parts)
    for (const [code, n] of Object.entries(part.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  const highest = (key: keyof LoadResult['latency']) => Math.max(...parts.map((p) => p.latency[key]));
  return {
    seconds,
    ok: sum((p) => p.ok),
    non2xx: sum((p) => p.non2xx),
    errors: sum((p) => p.errors),
    timeouts: sum((p) => p.timeouts),
    statusCodes,
    latency: {
      p50: highest('p50'),
      p90: highest('p90'),
      p99: highest('p99'),
      max: highest('max'),
      mean: highest('mean'),
    },
    generatorCpu: sum((p) => p.generatorCpu),
  };
}

function load(job: LoadJob): Promise<LoadResult> {
  const worker = fork(path.join(ROOT, 'bench/load.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onCleanup('load generator', async () => void (worker.exitCode === null && worker.kill()));
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { result?: LoadResult; error?: string }) =>
      message.result ? resolve(message.result) : reject(new Error(`load generator: ${message.error}`)),
    );
    worker.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
    worker.send(job);
  });
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds of a process and all its descendants (PostgreSQL: the postmaster and its backends). */
function treeCpuSeconds(pid: number): number {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    // gone, or no children file
  }
  return cpuSeconds(pid) + children.reduce((sum, child) => sum + (treeCpuSeconds(child) || 0), 0);
}

let postmasterPid = 0;

/** Runs a load job and notes the CPU time the server process (and PostgreSQL) spent on it, per request answered. */
async function loadMeasuringCpu(job: LoadJob, pid: number, workers = 1) {
  const before = cpuSeconds(pid);
  const pgBefore = postmasterPid ? treeCpuSeconds(postmasterPid) : NaN;
  const result = await loadParallel(job, workers);
  const cpu = cpuSeconds(pid) - before;
  const pgCpu = (postmasterPid ? treeCpuSeconds(postmasterPid) : NaN) - pgBefore;
  const per = (seconds: number) => (seconds * 1000) / Math.max(1, result.ok);
  return { ...result, cpuMsPerOk: per(cpu), pgCpuMsPerOk: per(pgCpu), generatorCpuMsPerOk: per(result.generatorCpu) };
}

type Measured = Awaited<ReturnType<typeof loadMeasuringCpu>>;

/** Rounds run one after another as one: their seconds add up; CPU per request weighted by requests. */
function combineRounds(rounds: Measured[]): Measured {
  const merged = mergeLoads(
    rounds,
    rounds.reduce((total, m) => total + m.seconds, 0),
  );
  const perOk = (pick: (m: Measured) => number) =>
    rounds.reduce((total, m) => total + pick(m) * m.ok, 0) / Math.max(1, merged.ok);
  return {
    ...merged,
    cpuMsPerOk: perOk((m) => m.cpuMsPerOk),
    pgCpuMsPerOk: perOk((m) => m.pgCpuMsPerOk),
    generatorCpuMsPerOk: perOk((m) => m.generatorCpuMsPerOk),
  };
}

const rate = (r: LoadResult) => r.ok / r.seconds;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const describeLoad = (r: LoadResult) =>
  `${fmt(r.ok)} ok in ${fmt(r.seconds, 1)} s, status ${JSON.stringify(r.statusCodes)}, errors ${r.errors}, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`;

async function main() {
  const started = Date.now();
  log(
    `${quick ? 'quick run (tiny sizes; the numbers mean nothing)' : 'full run'} on ${availableParallelism()} cores, Node ${process.version}`,
  );

  if (part('console')) consoleSize();

  const database = await startDatabase(log);
  const port = await freePort();
  const api = await startNode(
    'API',
    'apps/api/src/server.ts',
    {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: database.url,
      SESSION_SECRET: 'bench-session-secret-0123456789abcdefghij',
      CODE_HMAC_SECRET: 'bench-code-hmac-secret-0123456789abcdefghij',
      LOG_LEVEL: 'warn',
      SERVE_CONSOLE: 'false',
      // All the load comes from 127.0.0.1; the per-address flood guard would stop it at once.
      LIMIT_CODE_REQUESTS_PER_MINUTE: '1000000000',
      SEED_CUSTOMER_NAME: 'Bench Operator',
      SEED_ADMIN_EMAIL: 'operator@bench.example.com',
      SEED_ADMIN_PASSWORD: PASSWORD,
      // The bench signs in with the password it set: not a temporary one to change first.
      SEED_ADMIN_PASSWORD_PERMANENT: 'true',
    },
    port,
    '/readyz',
    // BENCH_CPU_PROF=<dir>: a CPU profile of the API process, written when it stops.
    process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [],
  );
  log(`API (pid ${api.pid}) at ${api.url}`);
  const oidcPort = await freePort();
  const oidc = await startNode(
    'oidc-provider',
    'bench/oidc-provider.ts',
    { PORT: String(oidcPort), NODE_ENV: 'production' },
    oidcPort,
    '/.well-known/openid-configuration',
  );
  log(`oidc-provider (pid ${oidc.pid}) at ${oidc.url}`);

  // The bench seeds millions of rows: no 5-second statement timeout for its own client (the API keeps it).
  const db = createDb(database.url, { poolSize: 4, statementTimeoutMs: 600_000 });
  onCleanup('Prisma client', () => db.$disconnect());
  const pool = new pg.Pool({ connectionString: database.url, max: SIZES.usageConnections + 2 });
  onCleanup('pg pool', () => pool.end());
  // The postmaster is the parent of any backend: PostgreSQL's CPU is counted under it.
  const backend = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  postmasterPid = Number(
    readFileSync(`/proc/${backend}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ')[1],
  );

  if (part('codes')) await codeIssuance(api, oidc, pool);
  const operator = await signIn(api.url, 'operator@bench.example.com');
  if (part('usage')) await usageIngestion(api, operator, pool);
  if (part('list')) await registrationList(api, db, pool);
  if (part('delete')) await deleteData(api, db, pool);
  if (part('usage-scale'))
    await usageScale({
      api: api.url,
      db,
      pool,
      sizes: quick ? USAGE_SCALE.quick : USAGE_SCALE.full,
      figures,
      notes,
      log,
    });
  if (part('fleet'))
    await fleetScale({
      api: api.url,
      db,
      pool,
      sizes: quick ? FLEET_SCALE.quick : FLEET_SCALE.full,
      figures,
      notes,
      log,
    });

  if (part('fleet') || part('fleet-enrollment'))
    await fleetEnrollment({ api: api.url, operator, servers: quick ? 50 : 1000, figures, notes, log });

  const elapsed = (Date.now() - started) / 1000;
  log(`done in ${fmt(elapsed)} s`);
  const report = renderReport({
    date: new Date(),
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    quick,
    seconds: elapsed,
    figures,
    notes,
    changes: readFileSync(path.join(ROOT, 'bench/changes.md'), 'utf8'),
  });
  const target = quick || only ? path.join(tmpdir(), 'benchmarks-quick.md') : path.join(ROOT, 'docs/benchmarks.md');
  writeFileSync(target, report);
  console.log(
    '\n' +
      figures
        .map(
          (f) =>
            `${f.met === false ? 'MISSED' : f.met ? 'met   ' : '      '} ${f.name}: ${f.ours}${f.reference ? ` vs ${f.reference}` : ''}${f.ratio ? ` (${f.ratio})` : ''}`,
        )
        .join('\n'),
  );
  log(`report written to ${path.relative(ROOT, target).startsWith('..') ? target : path.relative(ROOT, target)}`);
}

/**
 * Console JavaScript, gzipped, built fresh in a full run: what the sign-in page and Product
 * Registrations load (from Vite's manifest, bench/console-size.ts) and the whole console.
 */
function consoleSize() {
  const dist = path.join(ROOT, 'apps/console/dist');
  if (!quick) {
    log('building the console');
    const result = spawnSync('npm', ['run', 'build', '-w', '@reg/console'], { cwd: ROOT, encoding: 'utf8' });
    if (result.status !== 0) {
      notes.push(
        `The console build failed, so its size was not measured: ${(result.stderr || result.stdout).trim().split('\n').slice(-3).join(' ')}`,
      );
      return;
    }
  }
  let sizes: ConsoleSizes;
  try {
    sizes = consoleSizes(dist);
  } catch (error) {
    notes.push(`The console's size was not measured (build it with npm run build first): ${(error as Error).message}`);
    return;
  }
  const kb = (bytes: number) => `${fmt(bytes / 1024, 1)} KB`;
  for (const page of sizes.pages) {
    figures.push({
      name: `Console JavaScript the ${page.name} loads, gzipped`,
      ours: `${kb(page.bytes)} (${page.files} files)`,
      target: '≤ 150 KB',
      met: page.bytes <= 150 * 1024,
    });
    log(`console JavaScript of the ${page.name}: ${kb(page.bytes)} gzipped in ${page.files} files`);
  }
  figures.push({
    name: 'Console JavaScript, all pages, gzipped',
    ours: `${kb(sizes.total.bytes)} (${sizes.total.files} files)`,
    target: '≤ 250 KB',
    met: sizes.total.bytes <= 250 * 1024,
  });
  log(`console JavaScript: ${kb(sizes.total.bytes)} gzipped in ${sizes.total.files} files`);
}

async function codeIssuance(api: Child, oidc: Child, pool: pg.Pool) {
  const ours: LoadJob = {
    kind: 'fixed',
    url: api.url,
    path: '/api/product/v1/codes',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(codeRequestBody()),
    connections: SIZES.codeConnections,
    duration: SIZES.duration,
  };
  const theirs: LoadJob = {
    kind: 'fixed',
    url: oidc.url,
    path: '/device/auth',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'client_id=bench',
    connections: SIZES.codeConnections,
    duration: SIZES.duration,
  };
  log(`code issuance: warming up both for ${SIZES.warmup} s`);
  await loadParallel({ ...theirs, duration: SIZES.warmup }, CODE_LOAD_WORKERS);
  await loadParallel({ ...ours, duration: SIZES.warmup }, CODE_LOAD_WORKERS);
  const before = Number((await pool.query('SELECT count(*) FROM registration_codes')).rows[0].count);
  const theirRounds: Measured[] = [];
  const ourRounds: Measured[] = [];
  const measureTheirs = async () => theirRounds.push(await loadMeasuringCpu(theirs, oidc.pid, CODE_LOAD_WORKERS));
  const measureOurs = async () => ourRounds.push(await loadMeasuringCpu(ours, api.pid, CODE_LOAD_WORKERS));
  for (let round = 0; round < CODE_ROUNDS; round++) {
    for (const measure of round % 2 === 0 ? [measureTheirs, measureOurs] : [measureOurs, measureTheirs])
      await measure();
    const [r, o] = [theirRounds.at(-1)!, ourRounds.at(-1)!];
    log(
      `  round ${round + 1}: oidc-provider ${fmt(rate(r))}/s (${fmt(r.cpuMsPerOk, 3)} CPU ms a request), ` +
        `ours ${fmt(rate(o))}/s (${fmt(o.cpuMsPerOk, 3)} in the API, ${fmt(o.pgCpuMsPerOk, 3)} in PostgreSQL): ${fmt(rate(o) / rate(r), 2)}×`,
    );
  }
  const reference = combineRounds(theirRounds);
  const result = combineRounds(ourRounds);
  log(
    `  oidc-provider POST /device/auth: ${describeLoad(reference)}, ${fmt(reference.generatorCpuMsPerOk, 3)} CPU ms a request in the load generator`,
  );
  log(
    `  ours POST /api/product/v1/codes: ${describeLoad(result)}, ${fmt(result.generatorCpuMsPerOk, 3)} CPU ms a request in the load generator`,
  );
  const stored = Number((await pool.query('SELECT count(*) FROM registration_codes')).rows[0].count) - before;
  if (stored < result.ok) throw new Error(`only ${stored} codes stored for ${result.ok} answers 201`);
  if (reference.non2xx || result.non2xx)
    notes.push(`Code issuance: non-2xx answers, ours ${result.non2xx}, reference ${reference.non2xx}.`);
  const ratio = rate(result) / rate(reference);
  figures.push({
    name: `Code issuance, requests/s (${SIZES.codeConnections} connections from ${CODE_LOAD_WORKERS} autocannon processes, ${CODE_ROUNDS} rounds of ${SIZES.duration} s each, in turn)`,
    ours: `${fmt(rate(result))} (p99 ${result.latency.p99} ms)`,
    reference: `${fmt(rate(reference))} (p99 ${reference.latency.p99} ms), node-oidc-provider device authorization, in-memory`,
    ratio: `${fmt(ratio, 2)}×`,
    target: '≥ 1.5×',
    met: ratio >= 1.5,
  });
  notes.push(
    `Code issuance, each round (${CODE_ROUNDS > 1 ? 'ABBA order, ' : ''}ours / reference): ` +
      ourRounds
        .map((o, i) => `${fmt(rate(o))} / ${fmt(rate(theirRounds[i]!))} = ${fmt(rate(o) / rate(theirRounds[i]!), 2)}×`)
        .join('; ') +
      '.',
  );
  notes.push(
    `Code issuance, CPU time per request answered: ours ${fmt(result.cpuMsPerOk, 3)} ms in the API process and ` +
      `${fmt(result.pgCpuMsPerOk, 3)} ms in PostgreSQL; oidc-provider ${fmt(reference.cpuMsPerOk, 3)} ms; the load generator ` +
      `${fmt(result.generatorCpuMsPerOk, 3)} ms against ours, ${fmt(reference.generatorCpuMsPerOk, 3)} ms against oidc-provider. ` +
      `Ratio of the reference's CPU per request to ours: ${fmt(reference.cpuMsPerOk / result.cpuMsPerOk, 2)}× counting the API process only, ` +
      `${fmt(reference.cpuMsPerOk / (result.cpuMsPerOk + result.pgCpuMsPerOk), 2)}× counting PostgreSQL too. ` +
      'oidc-provider is one process and tops out at one core; ours shares the two cores with PostgreSQL and the load generator.',
  );
  notes.push(
    `Code issuance: ${fmt(stored)} code rows were in PostgreSQL after the run for ${fmt(result.ok)} answers 201 (every 201 committed).`,
  );
}

async function usageIngestion(api: Child, operator: Session, pool: pg.Pool) {
  log(`usage ingestion: registering ${SIZES.servers} servers`);
  const credentials = await registerServers(api.url, operator, SIZES.servers);
  const records = usageRecords(RECORDS_PER_REPORT);
  const job: LoadJob = {
    kind: 'usage',
    url: api.url,
    credentials,
    recordsJson: JSON.stringify(records),
    collectedAt: new Date().toISOString(),
    connections: SIZES.usageConnections,
    duration: SIZES.duration,
  };
  const count = async () => Number((await pool.query('SELECT count(*) FROM usage_records')).rows[0].count);
  /** One figure: on a database at rest (quiesce), warm up, then measure (CPU, memory, records really stored). */
  const measure = async (label: string, warmup: LoadJob, measured: LoadJob) => {
    await quiesce(pool, log);
    log(`  ${label}: warming up for ${SIZES.warmup} s`);
    await load({ ...warmup, duration: SIZES.warmup });
    const before = await count();
    const memory = watchMemory(api.pid);
    const result = await loadMeasuringCpu(measured, api.pid);
    const peak = memory.stop();
    const stored = (await count()) - before;
    if (stored < result.ok * RECORDS_PER_REPORT)
      throw new Error(`only ${stored} records stored for ${result.ok} reports answered 202`);
    log(
      `  ours POST /api/product/v1/usage, ${label}: ${describeLoad(result)}, ${fmt(result.cpuMsPerOk, 2)} CPU ms a report in the API, ${fmt(result.pgCpuMsPerOk, 2)} in PostgreSQL, ${fmt(result.generatorCpuMsPerOk, 2)} in the load generator`,
    );
    notes.push(
      `Usage ingestion (${label}), CPU time per report of 1,000 records: ${fmt(result.cpuMsPerOk, 2)} ms in the API process, ${fmt(result.pgCpuMsPerOk, 2)} ms in PostgreSQL.`,
    );
    return { result, peak };
  };
  // As a License Server sends them: every report new periods (15-minute snapshots), so the
  // rollups take the GREATEST upsert. Warm-up variants are far from the measured ones.
  const fresh = await measure(
    'new periods in every report',
    { ...job, fresh: { records: RECORDS_PER_REPORT, firstVariant: 200 } },
    { ...job, fresh: { records: RECORDS_PER_REPORT, firstVariant: 0 } },
  );
  // The same 1,000 daily records in every report: each replaces periods already stored, so
  // every touched day is recomputed from a pile that grows with each report.
  const resent = await measure('the same records re-sent', job, job);
  const result = fresh.result;
  const peak = Math.max(fresh.peak ?? 0, resent.peak ?? 0) || undefined;

  // The reference: the same rows, 1,000 a statement through unnest, same concurrency, same database.
  const server = (
    await pool.query<{ customer_id: string; license_server_id: string }>(
      'SELECT customer_id, license_server_id FROM registrations LIMIT 1',
    )
  ).rows[0]!;
  const columns = [
    records.map((r) => r.periodStart),
    records.map((r) => r.periodEnd),
    records.map((r) => r.productCode),
    records.map((r) => r.edition),
    records.map((r) => r.licenseModel),
    records.map((r) => r.installed),
    records.map((r) => r.inUse),
    records.map((r) => r.peakInUse),
  ];
  const insert = `
    INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                               license_model, installed, in_use, peak_in_use, collected_at)
    SELECT $1::uuid, $2::uuid, gen_random_uuid(), u.*, now()
    FROM unnest($3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::int[]) AS u`;
  const runReference = async (seconds: number) => {
    const until = performance.now() + seconds * 1000;
    let statements = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: SIZES.usageConnections }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < until) {
            await client.query(insert, [server.customer_id, server.license_server_id, ...columns]);
            statements++;
          }
        } finally {
          client.release();
        }
      }),
    );
    return { rows: statements * RECORDS_PER_REPORT, seconds: (performance.now() - t0) / 1000 };
  };
  await quiesce(pool, log);
  await runReference(SIZES.warmup);
  const pgBefore = treeCpuSeconds(postmasterPid);
  const clientBefore = process.cpuUsage();
  const reference = await runReference(SIZES.duration);
  const referenceRate = reference.rows / reference.seconds;
  // The reference's CPU a statement, to set beside ours a report: PostgreSQL, and this process
  // (node-postgres turning the columns into array literals and sending them).
  const statements = reference.rows / RECORDS_PER_REPORT;
  const referencePgMs = ((treeCpuSeconds(postmasterPid) - pgBefore) * 1000) / statements;
  const { user, system } = process.cpuUsage(clientBefore);
  const referenceClientMs = (user + system) / 1000 / statements;
  log(
    `  plain inserts: ${fmt(reference.rows)} rows in ${fmt(reference.seconds, 1)} s, ` +
      `${fmt(referencePgMs, 2)} CPU ms a statement in PostgreSQL, ${fmt(referenceClientMs, 2)} in the bench's client`,
  );
  notes.push(
    `Usage ingestion, the reference's CPU time per statement of 1,000 rows: ${fmt(referencePgMs, 2)} ms in PostgreSQL, ` +
      `${fmt(referenceClientMs, 2)} ms in the bench process (its node-postgres client).`,
  );

  const referenceText = `${fmt(referenceRate)}, INSERT … SELECT FROM unnest, 1,000 rows a statement, ${SIZES.usageConnections} connections`;
  const ours = (result.ok * RECORDS_PER_REPORT) / result.seconds;
  const ratio = ours / referenceRate;
  figures.push({
    name: `Usage ingestion with rollups, records/s (1,000 a report of new 15-minute periods, ${SIZES.usageConnections} connections, ${SIZES.servers} servers, no gzip)`,
    ours: `${fmt(ours)} (${fmt(rate(result), 1)} reports/s, p99 ${result.latency.p99} ms)`,
    reference: referenceText,
    ratio: `${fmt(ratio * 100)}%`,
    target: '≥ 60%',
    met: ratio >= 0.6,
  });
  const oursResent = (resent.result.ok * RECORDS_PER_REPORT) / resent.result.seconds;
  figures.push({
    name: `Usage ingestion with rollups, records/s, the same 1,000 daily records re-sent in every report (overlapping)`,
    ours: `${fmt(oursResent)} (${fmt(rate(resent.result), 1)} reports/s, p99 ${resent.result.latency.p99} ms)`,
    reference: referenceText,
    ratio: `${fmt((oursResent / referenceRate) * 100)}%`,
  });
  figures.push({
    name: 'Peak memory (RSS) of the API process during the ingestion run',
    ours: peak ? `${fmt(peak / 1024)} MiB` : 'not measured',
  });
}

/** Peak RSS: the kernel's high-water mark, reset first (clear_refs 5), with polling as a fallback. */
function watchMemory(pid: number) {
  const status = () => readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (text: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
  let reset = false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    reset = true;
  } catch {
    // not permitted here: polling alone
  }
  let polled = 0;
  const timer = setInterval(() => {
    try {
      polled = Math.max(polled, kb(status(), 'VmRSS'));
    } catch {
      // process gone
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      try {
        const text = status();
        return Math.max(polled, kb(text, 'VmRSS'), reset ? kb(text, 'VmHWM') : 0);
      } catch {
        return polled;
      }
    },
  };
}

async function registrationList(api: Child, db: ReturnType<typeof createDb>, pool: pg.Pool) {
  log(`registration list: loading ${fmt(SIZES.registrations)} registrations into one customer`);
  const session = await customerWithAdmin(db, api.url, 'Bench Big Customer');
  const admin = (
    await db.admin.findFirstOrThrow({ where: { customerId: session.customerId }, include: { person: true } })
  ).person;
  const client = await pool.connect();
  try {
    await loadRegistrations(client, session.customerId, admin.email, SIZES.registrations);
  } finally {
    client.release();
  }
  const deep = (
    await pool.query<{ server_name: string; id: string }>(
      `SELECT server_name, id FROM registrations WHERE customer_id = $1 AND removed_at IS NULL ORDER BY server_name, id OFFSET $2 LIMIT 1`,
      [session.customerId, Math.floor(SIZES.registrations / 2)],
    )
  ).rows[0]!;
  const headers = { cookie: session.headers.cookie!, 'x-csrf-token': session.headers['x-csrf-token']! };
  const cases: [string, string][] = [
    ['first page', ''],
    [
      `deep cursor page (after row ${fmt(SIZES.registrations / 2)})`,
      `cursor=${encodeKeyset([deep.server_name, deep.id])}`,
    ],
    ['search "osaka-0042" (server or host name contains)', 'query=osaka-0042'],
    ['search "example" (matches every row)', 'query=example'],
    ['status filter not-reporting', 'status=not-reporting'],
    ['sorted by last contact, descending', 'sort=lastContactAt&order=desc'],
  ];
  for (const [name, query] of cases) {
    const url = `${api.url}/api/console/registrations?${query}`;
    let items = 0;
    const send = async () => {
      const response = await fetch(url, { headers });
      items = ((await response.json()) as { items?: unknown[] }).items?.length ?? 0;
      return response.status;
    };
    await timeRequests(Math.max(5, SIZES.listSamples / 10), send);
    const t = await timeRequests(SIZES.listSamples, send);
    log(`  ${name}: ${items} items, p50 ${fmt(t.p50, 1)} ms, p95 ${fmt(t.p95, 1)} ms`);
    figures.push({
      name: `Product Registrations, ${fmt(SIZES.registrations)} in one customer: ${name}`,
      ours: `p95 ${fmt(t.p95, 1)} ms (p50 ${fmt(t.p50, 1)} ms, ${items} items, ${SIZES.listSamples} sequential requests)`,
      target: 'p95 < 25 ms',
      met: t.p95 < 25,
    });
  }
  await registrationExport(api, headers);
}

/**
 * The CSV export of every registration of the big customer (loaded by registrationList): the
 * whole body read as it comes, the API's peak RSS watched meanwhile. Streaming keeps the peak
 * near the idle process's, whatever the number of rows.
 */
async function registrationExport(api: Child, headers: Record<string, string>) {
  const before = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${api.pid}/status`, 'utf8'))?.[1] ?? 0);
  const memory = watchMemory(api.pid);
  const started = performance.now();
  const response = await fetch(`${api.url}/api/console/registrations.csv`, { headers });
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  const peak = memory.stop();
  // One line per row plus the header (no generated name or host holds a line break).
  const rows = lines - 1;
  if (response.status !== 200 || rows !== SIZES.registrations)
    notes.push(`The CSV export answered ${response.status} with ${fmt(rows)} rows, not ${fmt(SIZES.registrations)}.`);
  log(
    `  CSV export: ${fmt(rows)} rows, ${fmt(bytes / 1048576, 1)} MiB in ${fmt(seconds, 2)} s, API peak RSS ${fmt(peak / 1024)} MiB`,
  );
  figures.push({
    name: `CSV export of ${fmt(SIZES.registrations)} registrations (GET /registrations.csv)`,
    ours: `${fmt(seconds, 2)} s for ${fmt(bytes / 1048576, 1)} MiB (${fmt(rows / seconds)} rows/s)`,
  });
  figures.push({
    name: 'Peak memory (RSS) of the API process during that export',
    ours: peak ? `${fmt(peak / 1024)} MiB (${fmt(before / 1024)} MiB before it began)` : 'not measured',
  });
}

async function deleteData(api: Child, db: ReturnType<typeof createDb>, pool: pg.Pool) {
  log(`delete data: loading ${fmt(SIZES.deleteRecords)} usage records of one server`);
  const owner = await customerWithAdmin(db, api.url, 'Bench Deleting Customer');
  const client = await pool.connect();
  let serverId: string;
  try {
    serverId = await loadUsageRecords(client, owner.customerId, SIZES.deleteRecords);
  } finally {
    client.release();
  }
  // Other customers upload meanwhile: a steady rate, as servers in the field report.
  const credentials: string[] = [];
  for (let c = 0; c < 4; c++) {
    const other = await customerWithAdmin(db, api.url, `Bench Other Customer ${c + 1}`);
    credentials.push(...(await registerServers(api.url, other, Math.max(1, SIZES.otherServers / 4))));
  }
  const job: LoadJob = {
    kind: 'usage',
    url: api.url,
    credentials,
    recordsJson: JSON.stringify(usageRecords(SIZES.otherRecords)),
    collectedAt: new Date().toISOString(),
    connections: 4,
    duration: SIZES.steadySeconds,
    overallRate: SIZES.otherRate,
  };
  const baseline = await load(job);
  log(`  others' uploads without the delete: ${describeLoad(baseline)}`);

  const during = load({ ...job, duration: SIZES.steadySeconds + 5 });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const t0 = performance.now();
  const response = await call(
    api.url,
    'DELETE',
    `/api/console/license-servers/${serverId}/usage`,
    { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
    owner.headers,
  );
  const seconds = (performance.now() - t0) / 1000;
  if (response.status !== 200) throw new Error(`DELETE answered ${response.status} ${JSON.stringify(response.body)}`);
  const deleted = response.body.deletedRecords as number;
  // Gone for every reader, at once: the series, the list, and the single server.
  const series = await call(
    api.url,
    'GET',
    `/api/console/license-servers/${serverId}/usage?from=${new Date(Date.now() - 399 * 86400_000).toISOString().slice(0, 10)}`,
    undefined,
    owner.headers,
  );
  const list = await call(api.url, 'GET', '/api/console/license-servers', undefined, owner.headers);
  const visible = (series.body.series as unknown[]).length + (list.body.items as unknown[]).length;
  if (deleted !== SIZES.deleteRecords || visible !== 0) {
    throw new Error(`DELETE reported ${deleted} records, and ${visible} series or servers still show`);
  }
  const others = await during;
  log(`  DELETE of ${fmt(deleted)} records: ${fmt(seconds, 2)} s; others meanwhile: ${describeLoad(others)}`);
  figures.push({
    name: `Delete data of one server, ${fmt(SIZES.deleteRecords)} usage records`,
    ours: `${fmt(seconds, 2)} s`,
    target: '< 10 s',
    met: seconds < 10,
  });
  const ratio = others.latency.p99 / Math.max(1, baseline.latency.p99);
  figures.push({
    name: `Other customers' uploads during the delete, p99 (${SIZES.otherRate} reports/s of ${SIZES.otherRecords} records, 4 connections)`,
    ours: `${others.latency.p99} ms during (${fmt(others.ok)} ok, ${others.non2xx} non-2xx)`,
    reference: `${baseline.latency.p99} ms without the delete`,
    ratio: `${fmt(ratio, 2)}×`,
    target: '≤ 2×',
    met: ratio <= 2,
  });
}

let failed = false;
const stopAll = async () => {
  await cleanupAll();
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(143)));
try {
  await main();
} catch (error) {
  failed = true;
  console.error('bench failed:', error);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
