/**
 * The load generator, in a process of its own so it does not share an event loop with the
 * bench's bookkeeping: bench/measure.ts forks it, sends one job over IPC, gets the result back.
 */
import { randomUUID } from 'node:crypto';
import autocannon, { type Options, type RequestParams } from 'autocannon';
import { freshUsageRecords, freshUsageRecordsJson } from './fixtures.ts';

export type LoadJob =
  | {
      kind: 'fixed';
      url: string;
      path: string;
      headers: Record<string, string>;
      body: string;
      connections: number;
      duration: number;
    }
  | {
      kind: 'usage';
      url: string;
      /** Bearer credentials, used in turn so that concurrent uploads come from different servers. */
      credentials: string[];
      /** The JSON of the records array, the same for every report (each report gets its own reportId). */
      recordsJson: string;
      /**
       * Instead, new periods in every report, as a License Server sends them (bench/fixtures.ts,
       * freshUsageRecords): a server's n-th report of this run is variant `firstVariant + n`.
       */
      fresh?: { records: number; firstVariant: number };
      collectedAt: string;
      connections: number;
      duration: number;
      /** Requests per second over all connections; unset means as fast as the server answers. */
      overallRate?: number;
    };

export interface LoadResult {
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU seconds (user + system) the load generator itself spent on the run. */
  generatorCpu: number;
}

async function run(job: LoadJob): Promise<LoadResult> {
  const options: Options = { url: job.url, connections: job.connections, duration: job.duration, timeout: 30 };
  if (job.kind === 'fixed') {
    Object.assign(options, {
      method: 'POST',
      headers: job.headers,
      body: job.body,
      requests: [{ method: 'POST', path: job.path }],
    });
  } else {
    let turn = 0;
    const head = `,"collectedAt":${JSON.stringify(job.collectedAt)},"server":{"productVersion":"11.17.2.0"},"records":`;
    const { fresh } = job;
    const n = job.credentials.length;
    // One "now" for the whole run: a quarter hour passing mid-run must not shift later reports onto earlier periods.
    const now = new Date();
    const freshJson = fresh && freshUsageRecordsJson(fresh.records, now);
    if (
      fresh &&
      freshJson!(fresh.firstVariant) !== JSON.stringify(freshUsageRecords(fresh.records, fresh.firstVariant, now))
    )
      throw new Error('freshUsageRecordsJson differs from freshUsageRecords');
    const recordsOf = (t: number) => (fresh ? freshJson!(fresh.firstVariant + Math.floor(t / n)) : job.recordsJson);
    const request: RequestParams = {
      method: 'POST',
      path: '/api/product/v1/usage',
      setupRequest: (req) => {
        const t = turn++;
        return {
          ...req,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${job.credentials[t % n]}` },
          body: `{"reportId":"${randomUUID()}"${head}${recordsOf(t)}}`,
        };
      },
    };
    Object.assign(options, { requests: [request], ...(job.overallRate && { overallRate: job.overallRate }) });
  }
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = await autocannon(options);
  const cpu = process.cpuUsage(cpuBefore);
  const seconds = (performance.now() - started) / 1000;
  const statusCodes = Object.fromEntries(
    Object.entries(result.statusCodeStats ?? {}).map(([code, { count }]) => [code, count]),
  );
  return {
    seconds,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    latency: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    generatorCpu: (cpu.user + cpu.system) / 1e6,
  };
}

process.once('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!({ result }, () => process.exit(0)),
    (error: Error) => process.send!({ error: error.stack ?? error.message }, () => process.exit(1)),
  );
});
