/**
 * Load jobs run in forked autocannon processes (bench/load.ts), and what the servers spend on
 * them: CPU seconds and peak memory read from /proc (Linux only, like the rest of the bench).
 */
import { fork } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { fmt } from './fixtures.ts';
import type { LoadJob, LoadResult } from './load.ts';
import { onCleanup, ROOT } from './processes.ts';

export function load(job: LoadJob): Promise<LoadResult> {
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

/**
 * A load job split over `workers` autocannon processes (connections shared out): one
 * autocannon process tops out near the rate of a fast server on these machines, and then it,
 * not the server, would be measured. Latency percentiles of the parts are combined
 * conservatively (the highest of each).
 */
export async function loadParallel(job: LoadJob, workers: number): Promise<LoadResult> {
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

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces): the state is [0], the parent [1]. */
const statFields = (pid: number) =>
  readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');

/** CPU seconds (user + system) a process has used so far, in clock ticks of 1/100 s. */
function cpuSeconds(pid: number): number {
  try {
    const fields = statFields(pid);
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds of a process and all its descendants (PostgreSQL: the postmaster and its backends). */
export function treeCpuSeconds(pid: number): number {
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

/** The postmaster is the parent of any backend: asked of one of the pool's connections. */
export async function postmasterOf(pool: pg.Pool): Promise<number> {
  const backend = (await pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  return Number(statFields(backend)[1]);
}

/**
 * Runs a load job (over `workers` autocannon processes) and notes the CPU time the server
 * process `pid`, and PostgreSQL under `postmasterPid`, spent on it, per request answered.
 */
export async function loadMeasuringCpu(job: LoadJob, pid: number, postmasterPid: number, workers = 1) {
  const before = cpuSeconds(pid);
  const pgBefore = treeCpuSeconds(postmasterPid);
  const result = await loadParallel(job, workers);
  const cpu = cpuSeconds(pid) - before;
  const pgCpu = treeCpuSeconds(postmasterPid) - pgBefore;
  const per = (seconds: number) => (seconds * 1000) / Math.max(1, result.ok);
  return { ...result, cpuMsPerOk: per(cpu), pgCpuMsPerOk: per(pgCpu), generatorCpuMsPerOk: per(result.generatorCpu) };
}

export type Measured = Awaited<ReturnType<typeof loadMeasuringCpu>>;

/** Rounds run one after another as one: their seconds add up; CPU per request weighted by requests. */
export function combineRounds(rounds: Measured[]): Measured {
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

export const rate = (r: LoadResult) => r.ok / r.seconds;
export const describeLoad = (r: LoadResult) =>
  `${fmt(r.ok)} ok in ${fmt(r.seconds, 1)} s, status ${JSON.stringify(r.statusCodes)}, errors ${r.errors}, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms`;

/** Resident size of a process now, in KiB. */
export function rssKib(pid: number): number {
  return kib(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmRSS');
}

const kib = (status: string, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);

/** Peak RSS in KiB: the kernel's high-water mark, reset first (clear_refs 5), with polling as a fallback. */
export function watchMemory(pid: number) {
  const status = () => readFileSync(`/proc/${pid}/status`, 'utf8');
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
      polled = Math.max(polled, kib(status(), 'VmRSS'));
    } catch {
      // process gone
    }
  }, 100);
  return {
    stop() {
      clearInterval(timer);
      try {
        const text = status();
        return Math.max(polled, kib(text, 'VmRSS'), reset ? kib(text, 'VmHWM') : 0);
      } catch {
        return polled;
      }
    },
  };
}
