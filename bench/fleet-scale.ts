/**
 * A fleet (docs/decisions/011-customer-daily-rollup.md): one customer with 5,000 registered
 * License Servers, each with a year of daily usage of two product keys, loaded through the
 * product API; 1,000 of them tagged. Measures, WITH a second process keeping a core busy (as
 * production always has a neighbour), the registrations list and its tag filter, the overview
 * for a year and the overview by tag. The overview's reference is the same answer summed from
 * the servers' own rollups at read time, as the overview did before the customer rollup.
 */
import { spawn } from 'node:child_process';
import { foldDeltaBatch } from '../apps/api/src/modules/usage/usage-customer-rollup.repository.ts';
import type { BenchContext } from './context.ts';
import {
  DAY_MS,
  call,
  customerWithAdmin,
  day,
  fmt,
  inLanes,
  quiesce,
  readHeaders,
  registerServers,
  uploadUsage,
} from './fixtures.ts';
import { completenessFigure } from './fleet-completeness.ts';
import { onCleanup } from './processes.ts';
import { timeReads } from './timed-reads.ts';

const SIZES = {
  full: { servers: 5_000, tagged: 1_000, days: 365, samples: 200 },
  quick: { servers: 12, tagged: 4, days: 20, samples: 10 },
};

/** A year of daily records of two product keys, as a License Server's backlog sends it: one report. */
function yearReport(days: number, seed: number) {
  const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
  const records = [];
  for (let d = days; d >= 1; d--) {
    const start = today - d * DAY_MS;
    for (const [productCode, edition, installed] of [
      ['XDT', 'PLT', 500],
      ['XA', 'ENT', 200],
    ] as const) {
      const inUse = (seed * 7 + d * 13) % installed;
      records.push({
        periodStart: new Date(start).toISOString(),
        periodEnd: new Date(start + DAY_MS).toISOString(),
        productCode,
        edition,
        licenseModel: 'user-device',
        installed,
        inUse,
        peakInUse: Math.min(installed + 10, inUse + 20),
      });
    }
  }
  return {
    reportId: crypto.randomUUID(),
    collectedAt: new Date().toISOString(),
    server: { productVersion: '11.17.2.0' },
    records,
  };
}

/** A second process busy on one core for as long as the measurements run. */
function busyNeighbour() {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const stop = async () => void (child.exitCode === null && child.kill('SIGKILL'));
  onCleanup('busy neighbour', stop);
  return stop;
}

/** The overview's series as it was read before the customer rollup: summed from usage_daily. */
const SERVER_LEVEL_OVERVIEW = `
  SELECT product_code, edition, license_model, day, sum(installed)::int, sum(in_use)::int, sum(peak_in_use)::int
  FROM usage_daily WHERE customer_id = $1::uuid AND day >= $2::date AND day <= $3::date
  GROUP BY product_code, edition, license_model, day`;

export async function fleetScale({ api: { url: api }, db, pool, quick, figures, notes, log }: BenchContext) {
  const sizes = quick ? SIZES.quick : SIZES.full;
  log(`fleet: ${fmt(sizes.servers)} servers with ${sizes.days} days of two product keys, ${fmt(sizes.tagged)} tagged`);
  const session = await customerWithAdmin(db, api, 'Bench Fleet Customer');
  const headers = readHeaders(session);
  let t0 = performance.now();
  const credentials = await registerServers(api, session, sizes.servers);
  log(`  registered ${fmt(credentials.length)} servers in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  t0 = performance.now();
  await inLanes(credentials, 8, (credential, i) => uploadUsage(api, credential, yearReport(sizes.days, i)));
  const uploadSeconds = (performance.now() - t0) / 1000;
  log(`  uploaded ${fmt(credentials.length)} years in ${fmt(uploadSeconds, 1)} s`);
  figures.push({
    name: `Fleet: ${fmt(sizes.servers)} servers of one customer each upload a year of daily usage (two keys, ${fmt(sizes.days * 2)} records a report), 8 at a time`,
    ours: `${fmt(credentials.length / uploadSeconds, 1)} uploads/s, none refused`,
    target: '– (uploads of different servers never wait on the customer rollup: ADR 011)',
  });
  // Tag every fifth server's registration through the API.
  const ids = (
    await pool.query<{ id: string }>(
      `SELECT id FROM registrations WHERE customer_id = $1::uuid AND removed_at IS NULL ORDER BY id LIMIT $2`,
      [session.customerId, sizes.tagged],
    )
  ).rows.map((r) => r.id);
  await inLanes(ids, 4, async (id) => {
    const tagged = await call(
      api,
      'PATCH',
      `/api/console/registrations/${id}`,
      { tags: ['wave-1', 'eu'] },
      session.headers,
    );
    if (tagged.status !== 200) throw new Error(`PATCH answered ${tagged.status} ${JSON.stringify(tagged.body)}`);
  });
  // The API's sweep folds deltas every minute (25 × 20,000 at most); what it has not folded yet
  // of the uploads and of the retagging (each tagged server's year moves into its two tags) is
  // folded here at once, as the sweep would catch up: the reads measure the rollup, not a backlog.
  const pending = Number((await pool.query('SELECT count(*) AS n FROM usage_customer_deltas')).rows[0].n);
  t0 = performance.now();
  let folded = 0;
  // Until none is left: a batch answers 0 also while the API's own sweep holds the fold's lock.
  const left = async () => (await pool.query('SELECT EXISTS (SELECT 1 FROM usage_customer_deltas) AS any')).rows[0].any;
  while (await left()) {
    const n = await foldDeltaBatch(db, 50_000);
    folded += n;
    if (n === 0) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  log(
    `  ${fmt(pending)} deltas not folded yet by the sweep; folded ${fmt(folded)} in ${fmt((performance.now() - t0) / 1000, 1)} s`,
  );
  await pool.query(
    'VACUUM ANALYZE usage_daily, usage_customer_rollups, usage_customer_deltas, usage_latest, registrations',
  );
  await quiesce(pool, log);

  const today = Date.now();
  const [from, to] = [day(today - 364 * DAY_MS), day(today)];
  const year = `from=${from}&to=${to}`;
  const label = `Fleet (${fmt(sizes.servers)} servers, a year each, a busy neighbour process)`;
  const stopNeighbour = busyNeighbour();
  try {
    await timeReads({ api, headers, samples: sizes.samples, label, figures, log }, [
      { name: 'Product Registrations (limit=50)', path: '/api/console/registrations?limit=50', target: 25 },
      { name: 'Product Registrations, tag filter', path: '/api/console/registrations?limit=50&tag=wave-1', target: 25 },
      {
        name: 'the overview for a year',
        path: `/api/console/usage/overview?${year}`,
        target: 150,
        reference: {
          run: () => pool.query(SERVER_LEVEL_OVERVIEW, [session.customerId, from, to]),
          describe: (p95) =>
            `summed from the servers' daily rollups at read time (the series query alone, 5 runs): p95 ${p95} ms`,
        },
      },
      {
        name: `the overview for a year by tag (${fmt(sizes.tagged)} servers)`,
        path: `/api/console/usage/overview?${year}&tag=wave-1`,
        target: 150,
      },
    ]);
    await completenessFigure({
      db,
      pool,
      customerId: session.customerId,
      from,
      to,
      samples: Math.max(10, sizes.samples / 4),
      label,
      figures,
      log,
    });
  } finally {
    await stopNeighbour();
  }
  notes.push(
    `Fleet: ${fmt(sizes.servers)} servers registered by code and loaded through the product API (one report of ${sizes.days} days of two keys each), the customer rollup's deltas folded as the sweep does, ${fmt(sizes.tagged)} registrations tagged through PATCH; reads are p95 of sequential requests while a second process spins on one core.`,
  );
}
