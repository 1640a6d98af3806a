/**
 * Usage ingestion: reports of 1,000 records through `POST /api/product/v1/usage`, with the
 * rollups kept, against the same rows as plain bulk inserts into the same table.
 */
import type { BenchContext } from './context.ts';
import { fmt, quiesce, registerServers, usageRecords } from './fixtures.ts';
import type { LoadJob } from './load.ts';
import { describeLoad, load, loadMeasuringCpu, rate, treeCpuSeconds, watchMemory } from './measure.ts';
import { insertPlainly, recordColumns } from './plain-insert.ts';

export const USAGE_INGESTION = {
  full: { warmup: 3, duration: 10, connections: 8, servers: 64 },
  quick: { warmup: 1, duration: 1, connections: 2, servers: 4 },
};
const RECORDS_PER_REPORT = 1_000;

export async function usageIngestion({ api, operator, pool, postmasterPid, quick, figures, notes, log }: BenchContext) {
  const sizes = quick ? USAGE_INGESTION.quick : USAGE_INGESTION.full;
  log(`usage ingestion: registering ${sizes.servers} servers`);
  const credentials = await registerServers(api.url, operator, sizes.servers);
  const records = usageRecords(RECORDS_PER_REPORT);
  const job: LoadJob = {
    kind: 'usage',
    url: api.url,
    credentials,
    recordsJson: JSON.stringify(records),
    collectedAt: new Date().toISOString(),
    connections: sizes.connections,
    duration: sizes.duration,
  };
  const count = async () => Number((await pool.query('SELECT count(*) FROM usage_records')).rows[0].count);
  /** One figure: on a database at rest (quiesce), warm up, then measure (CPU, memory, records really stored). */
  const measure = async (label: string, warmup: LoadJob, measured: LoadJob) => {
    await quiesce(pool, log);
    log(`  ${label}: warming up for ${sizes.warmup} s`);
    await load({ ...warmup, duration: sizes.warmup });
    const before = await count();
    const memory = watchMemory(api.pid);
    const result = await loadMeasuringCpu(measured, api.pid, postmasterPid);
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
  // Built once, outside the timing: the same arrays go in every statement.
  const columns = recordColumns(records);
  const runReference = async (seconds: number) => {
    const until = performance.now() + seconds * 1000;
    let statements = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: sizes.connections }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < until) {
            await insertPlainly(client, server.customer_id, server.license_server_id, columns);
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
  await runReference(sizes.warmup);
  const pgBefore = treeCpuSeconds(postmasterPid);
  const clientBefore = process.cpuUsage();
  const reference = await runReference(sizes.duration);
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

  const referenceText = `${fmt(referenceRate)}, INSERT … SELECT FROM unnest, 1,000 rows a statement, ${sizes.connections} connections`;
  const ours = (result.ok * RECORDS_PER_REPORT) / result.seconds;
  const ratio = ours / referenceRate;
  figures.push({
    name: `Usage ingestion with rollups, records/s (1,000 a report of new 15-minute periods, ${sizes.connections} connections, ${sizes.servers} servers, no gzip)`,
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
