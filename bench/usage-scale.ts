/**
 * Usage insights at scale (docs/usage-insights.md): one customer with 50 License Servers, one of
 * them with 400 days of 15-minute snapshots of 18 product keys (691,200 records), all loaded
 * through the product API. Measures the reads that must not grow with the record count (they
 * read the daily rollups), beside the same answer computed from raw records where one exists;
 * ingestion with the rollups kept against plain bulk inserts of the same rows; and Delete data
 * of the big server, after which the overview must be right at once.
 */
import { generateSampleRecords } from '../apps/license-server/src/sample-usage.ts';
import type { BenchContext } from './context.ts';
import {
  DAY_MS,
  call,
  customerWithAdmin,
  day,
  deleteUsage,
  fmt,
  inLanes,
  quiesce,
  readHeaders,
  registerServers,
  uploadUsage,
} from './fixtures.ts';
import { insertPlainly, recordColumns } from './plain-insert.ts';
import { timeReads } from './timed-reads.ts';

const SIZES = {
  full: { servers: 50, bigDays: 400, smallDays: 30, samples: 200 },
  quick: { servers: 4, bigDays: 3, smallDays: 3, samples: 10 },
};

/** Reports as a License Server sends them: one a day, its 96 snapshots of every product key. */
function dailyReports(days: number, intervalMinutes: number, seed: string) {
  const now = new Date();
  // The last `days` whole days: the oldest 399 before today, then today (periods within 400 days).
  const records = [
    ...generateSampleRecords({ days: Math.min(days, 399), now, seed, intervalMinutes }),
    ...(days >= 400
      ? generateSampleRecords({ days: 1, now: new Date(now.getTime() + DAY_MS), seed, intervalMinutes })
      : []),
  ];
  const byDay = new Map<string, typeof records>();
  for (const r of records) byDay.set(r.periodStart.slice(0, 10), [...(byDay.get(r.periodStart.slice(0, 10)) ?? []), r]);
  return [...byDay.values()].map((dayRecords) => ({
    reportId: crypto.randomUUID(),
    collectedAt: now.toISOString(),
    server: { productVersion: '11.17.2.0' },
    records: dayRecords,
  }));
}

/** Two at a time: a server's uploads take turns in the database, but one's HTTP and validation overlap the other's commit. */
const CONCURRENCY = 2;
const uploadAll = (api: string, credential: string, reports: ReturnType<typeof dailyReports>) =>
  inLanes(reports, CONCURRENCY, (report) => uploadUsage(api, credential, report));

export async function usageScale({ api: { url: api }, db, pool, quick, figures, notes, log }: BenchContext) {
  const sizes = quick ? SIZES.quick : SIZES.full;
  log(
    `usage at scale: ${sizes.servers} servers, one with ${sizes.bigDays} days of 15-minute snapshots of 18 product keys`,
  );
  const session = await customerWithAdmin(db, api, 'Bench Usage Customer');
  const credentials = await registerServers(api, session, sizes.servers);
  const [bigCredential, ...small] = credentials;
  for (const [i, credential] of small.entries())
    await uploadAll(api, credential, dailyReports(sizes.smallDays, 1440, `small-${i}`));

  // Ingestion of the big server, with the rollups kept: records/s through the API,
  // on a database at rest (the stages before leave autovacuum running).
  await quiesce(pool, log);
  const reports = dailyReports(sizes.bigDays, 15, 'big');
  const records = reports.reduce((n, r) => n + r.records.length, 0);
  let t0 = performance.now();
  await uploadAll(api, bigCredential!, reports);
  const oursSeconds = (performance.now() - t0) / 1000;
  const big = (
    await pool.query<{ id: string }>(`SELECT license_server_id AS id FROM usage_reports WHERE report_id = $1::uuid`, [
      reports[0]!.reportId,
    ])
  ).rows[0]!.id;

  // The reference: the same rows as plain bulk inserts (INSERT … SELECT FROM unnest, a report a
  // statement, two connections like the uploads), on a server of another customer.
  // On a database at rest too (the uploads leave autovacuum work behind).
  await quiesce(pool, log);
  const client = await pool.connect();
  const second = await pool.connect();
  try {
    const other = await customerWithAdmin(db, api, 'Bench Usage Reference');
    const server = await client.query<{ id: string }>(
      `INSERT INTO license_servers (id, customer_id, instance_id, server_name, hostname, created_at)
       VALUES (gen_random_uuid(), $1::uuid, gen_random_uuid(), 'LS-REFERENCE', 'reference.example.com', now()) RETURNING id`,
      [other.customerId],
    );
    t0 = performance.now();
    await inLanes(reports, CONCURRENCY, async (report, _i, lane) => {
      await insertPlainly(lane ? second : client, other.customerId, server.rows[0]!.id, recordColumns(report.records));
    });
    const referenceSeconds = (performance.now() - t0) / 1000;
    await client.query('VACUUM ANALYZE usage_records');
    await client.query('ANALYZE usage_daily');
    const ratio = referenceSeconds / oursSeconds;
    log(
      `  ingestion: ${fmt(records)} records in ${fmt(oursSeconds, 1)} s through the API, ${fmt(referenceSeconds, 1)} s as plain inserts`,
    );
    figures.push({
      name: `Usage ingestion with daily rollups kept, one server's ${fmt(records)} records (${reports.length} reports of a day of 15-minute snapshots, two at a time)`,
      ours: `${fmt(records / oursSeconds)} records/s`,
      reference: `${fmt(records / referenceSeconds)} records/s, INSERT … SELECT FROM unnest, a report a statement`,
      ratio: `${fmt(ratio * 100)}%`,
      // The 60% of design.md is the ingestion figure above, reports of many servers. A server's
      // own uploads take turns by design (docs/decisions/007-uploads-of-one-server-take-turns.md):
      // this figure shows what that costs, without a target of its own.
      target: '– (uploads of one server take turns: decision 007)',
    });
  } finally {
    client.release();
    second.release();
  }

  await quiesce(pool, log);
  // Reads: p95 of sequential requests, each beside the raw-record query where one exists.
  const today = Date.now();
  const year = `from=${day(today - 364 * DAY_MS)}&to=${day(today)}`;
  const fromRecords = (sql: string) => ({
    run: () => pool.query(sql, [session.customerId, [big]]),
    describe: (p95: string) => `from raw records: p95 ${p95} ms (the query alone, 5 runs)`,
  });
  const headers = readHeaders(session);
  await timeReads(
    {
      api,
      headers,
      samples: sizes.samples,
      label: `Usage at scale (${sizes.servers} servers, one with ${fmt(records)} records)`,
      figures,
      log,
    },
    [
      {
        name: 'License Servers list (limit=50)',
        path: '/api/console/license-servers?limit=50',
        target: 25,
        reference:
          fromRecords(`SELECT DISTINCT ON (license_server_id, product_code, edition, license_model) license_server_id, installed, in_use
            FROM usage_records WHERE customer_id = $1::uuid AND license_server_id = ANY($2::uuid[])
            ORDER BY license_server_id, product_code, edition, license_model, period_start DESC, collected_at DESC, id DESC`),
      },
      { name: 'License Servers search "bench-4"', path: '/api/console/license-servers?query=bench-4', target: 25 },
      {
        name: "a year of the big server's daily series",
        path: `/api/console/license-servers/${big}/usage?${year}`,
        target: 100,
        reference:
          fromRecords(`WITH latest AS (SELECT DISTINCT ON (period_start, product_code, edition, license_model) period_start, product_code, edition, license_model, installed, in_use, peak_in_use
              FROM usage_records WHERE customer_id = $1::uuid AND license_server_id = ANY($2::uuid[]) AND period_start >= now() - interval '365 days'
              ORDER BY period_start, product_code, edition, license_model, collected_at DESC, id DESC)
            SELECT product_code, edition, license_model, date_trunc('day', period_start), max(installed), max(in_use), max(peak_in_use)
            FROM latest GROUP BY 1, 2, 3, 4`),
      },
      { name: 'the customer overview for a year', path: `/api/console/usage/overview?${year}`, target: 150 },
    ],
  );

  // Delete data of the big server; the overview right afterwards no longer counts it.
  const overview = async () => (await call(api, 'GET', `/api/console/usage/overview?${year}`, undefined, headers)).body;
  const before = (await overview()) as {
    summary: { productCode: string; edition: string; licenseModel: string; installed: number }[];
  };
  const bigSummary = (await call(api, 'GET', `/api/console/license-servers/${big}/usage?${year}`, undefined, headers))
    .body as typeof before;
  const { seconds, ...deleted } = await deleteUsage(api, big, session.headers);
  if (deleted.status !== 200 || deleted.body.deletedRecords !== records)
    throw new Error(`DELETE answered ${deleted.status} ${JSON.stringify(deleted.body)}`);
  const after = (await overview()) as typeof before;
  const key = (s: { productCode: string; edition: string; licenseModel: string }) =>
    `${s.productCode}/${s.edition}/${s.licenseModel}`;
  const afterByKey = new Map(after.summary.map((s) => [key(s), s.installed]));
  const bigByKey = new Map(bigSummary.summary.map((s) => [key(s), s.installed]));
  const wrong = before.summary.filter(
    (s) => (afterByKey.get(key(s)) ?? 0) !== s.installed - (bigByKey.get(key(s)) ?? 0),
  );
  if (wrong.length)
    throw new Error(`the overview after Delete data still counts the big server for ${wrong.length} keys`);
  log(`  Delete data of ${fmt(records)} records: ${fmt(seconds, 2)} s; the overview right afterwards is without them`);
  figures.push({
    name: `Usage at scale: Delete data of the big server (${fmt(records)} records and their rollups), the overview right at once`,
    ours: `${fmt(seconds, 2)} s`,
    target: '< 10 s',
    met: seconds < 10,
  });
  notes.push(
    `Usage at scale: ${sizes.servers} servers loaded through the product API, ${sizes.servers - 1} with ${sizes.smallDays} days of daily records, one with ${fmt(records)} records; the big server's ingestion, its reference and the reads each start on a database at rest (autovacuum finished, a CHECKPOINT); reads are p95 of sequential requests on one signed-in session (docs/usage-insights.md).`,
  );
}
