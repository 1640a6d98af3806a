/**
 * Code issuance: `POST /api/product/v1/codes` against node-oidc-provider's device authorization
 * (`POST /device/auth`), the same connections and duration against each.
 */
import type { ServersContext } from './context.ts';
import { codeRequestBody, fmt } from './fixtures.ts';
import type { LoadJob } from './load.ts';
import { combineRounds, describeLoad, loadMeasuringCpu, loadParallel, rate, type Measured } from './measure.ts';

const SIZES = {
  full: { warmup: 3, duration: 10, connections: 32, rounds: 4 },
  quick: { warmup: 1, duration: 1, connections: 4, rounds: 1 },
};
/** autocannon processes driving the code issuance runs (the same for ours and the reference). */
const LOAD_WORKERS = 2;

/**
 * Measured in rounds, ours and the reference in turn (ABBA order), the rates from the totals:
 * the machine's speed drifts over seconds (neighbours), and one pair of runs told more about
 * that drift than about either server.
 */
export async function codeIssuance({ api, oidc, pool, postmasterPid, quick, figures, notes, log }: ServersContext) {
  const sizes = quick ? SIZES.quick : SIZES.full;
  const ours: LoadJob = {
    kind: 'fixed',
    url: api.url,
    path: '/api/product/v1/codes',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(codeRequestBody()),
    connections: sizes.connections,
    duration: sizes.duration,
  };
  const theirs: LoadJob = {
    kind: 'fixed',
    url: oidc.url,
    path: '/device/auth',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'client_id=bench',
    connections: sizes.connections,
    duration: sizes.duration,
  };
  log(`code issuance: warming up both for ${sizes.warmup} s`);
  await loadParallel({ ...theirs, duration: sizes.warmup }, LOAD_WORKERS);
  await loadParallel({ ...ours, duration: sizes.warmup }, LOAD_WORKERS);
  const codes = async () => Number((await pool.query('SELECT count(*) FROM registration_codes')).rows[0].count);
  const before = await codes();
  const theirRounds: Measured[] = [];
  const ourRounds: Measured[] = [];
  const measureTheirs = async () =>
    theirRounds.push(await loadMeasuringCpu(theirs, oidc.pid, postmasterPid, LOAD_WORKERS));
  const measureOurs = async () => ourRounds.push(await loadMeasuringCpu(ours, api.pid, postmasterPid, LOAD_WORKERS));
  for (let round = 0; round < sizes.rounds; round++) {
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
  const stored = (await codes()) - before;
  if (stored < result.ok) throw new Error(`only ${stored} codes stored for ${result.ok} answers 201`);
  if (reference.non2xx || result.non2xx)
    notes.push(`Code issuance: non-2xx answers, ours ${result.non2xx}, reference ${reference.non2xx}.`);
  const ratio = rate(result) / rate(reference);
  figures.push({
    name: `Code issuance, requests/s (${sizes.connections} connections from ${LOAD_WORKERS} autocannon processes, ${sizes.rounds} rounds of ${sizes.duration} s each, in turn)`,
    ours: `${fmt(rate(result))} (p99 ${result.latency.p99} ms)`,
    reference: `${fmt(rate(reference))} (p99 ${reference.latency.p99} ms), node-oidc-provider device authorization, in-memory`,
    ratio: `${fmt(ratio, 2)}×`,
    target: '≥ 1.5×',
    met: ratio >= 1.5,
  });
  notes.push(
    `Code issuance, each round (${sizes.rounds > 1 ? 'ABBA order, ' : ''}ours / reference): ` +
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
