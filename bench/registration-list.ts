/**
 * Product Registrations at 100,000 registrations in one customer: the list's pages, searches,
 * filter and sort, then the CSV export of them all.
 */
import { encodeKeyset } from '../apps/api/src/lib/keyset.ts';
import type { ServersContext } from './context.ts';
import { customerWithAdmin, fmt, loadRegistrations, readHeaders, timeRequests } from './fixtures.ts';
import { rssKib, watchMemory } from './measure.ts';

const SIZES = {
  full: { registrations: 100_000, samples: 200 },
  quick: { registrations: 1_000, samples: 10 },
};

export async function registrationList(context: ServersContext) {
  const { api, db, pool, quick, figures, log } = context;
  const sizes = quick ? SIZES.quick : SIZES.full;
  log(`registration list: loading ${fmt(sizes.registrations)} registrations into one customer`);
  const session = await customerWithAdmin(db, api.url, 'Bench Big Customer');
  const admin = (
    await db.admin.findFirstOrThrow({ where: { customerId: session.customerId }, include: { person: true } })
  ).person;
  const client = await pool.connect();
  try {
    await loadRegistrations(client, session.customerId, admin.email, sizes.registrations);
  } finally {
    client.release();
  }
  const deep = (
    await pool.query<{ server_name: string; id: string }>(
      `SELECT server_name, id FROM registrations WHERE customer_id = $1 AND removed_at IS NULL ORDER BY server_name, id OFFSET $2 LIMIT 1`,
      [session.customerId, Math.floor(sizes.registrations / 2)],
    )
  ).rows[0]!;
  const headers = readHeaders(session);
  const cases: [string, string][] = [
    ['first page', ''],
    [
      `deep cursor page (after row ${fmt(sizes.registrations / 2)})`,
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
    await timeRequests(Math.max(5, sizes.samples / 10), send);
    const t = await timeRequests(sizes.samples, send);
    log(`  ${name}: ${items} items, p50 ${fmt(t.p50, 1)} ms, p95 ${fmt(t.p95, 1)} ms`);
    figures.push({
      name: `Product Registrations, ${fmt(sizes.registrations)} in one customer: ${name}`,
      ours: `p95 ${fmt(t.p95, 1)} ms (p50 ${fmt(t.p50, 1)} ms, ${items} items, ${sizes.samples} sequential requests)`,
      target: 'p95 < 25 ms',
      met: t.p95 < 25,
    });
  }
  await registrationExport(context, headers, sizes.registrations);
}

/**
 * The CSV export of every registration of the big customer (loaded by registrationList): the
 * whole body read as it comes, the API's peak RSS watched meanwhile. Streaming keeps the peak
 * near the idle process's, whatever the number of rows.
 */
async function registrationExport(
  { api, figures, notes, log }: ServersContext,
  headers: Record<string, string>,
  registrations: number,
) {
  const before = rssKib(api.pid);
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
  if (response.status !== 200 || rows !== registrations)
    notes.push(`The CSV export answered ${response.status} with ${fmt(rows)} rows, not ${fmt(registrations)}.`);
  log(
    `  CSV export: ${fmt(rows)} rows, ${fmt(bytes / 1048576, 1)} MiB in ${fmt(seconds, 2)} s, API peak RSS ${fmt(peak / 1024)} MiB`,
  );
  figures.push({
    name: `CSV export of ${fmt(registrations)} registrations (GET /registrations.csv)`,
    ours: `${fmt(seconds, 2)} s for ${fmt(bytes / 1048576, 1)} MiB (${fmt(rows / seconds)} rows/s)`,
  });
  figures.push({
    name: 'Peak memory (RSS) of the API process during that export',
    ours: peak ? `${fmt(peak / 1024)} MiB (${fmt(before / 1024)} MiB before it began)` : 'not measured',
  });
}
