/**
 * Delete data of one server with a million usage records, while other customers' servers keep
 * uploading: how long it takes, and what it does to their uploads' latency.
 */
import type { ServersContext } from './context.ts';
import {
  call,
  customerWithAdmin,
  day,
  DAY_MS,
  deleteUsage,
  fmt,
  loadUsageRecords,
  registerServers,
  usageRecords,
} from './fixtures.ts';
import type { LoadJob } from './load.ts';
import { describeLoad, load } from './measure.ts';

const SIZES = {
  full: { records: 1_000_000, otherServers: 16, otherRate: 50, otherRecords: 100, steadySeconds: 10 },
  quick: { records: 10_000, otherServers: 2, otherRate: 10, otherRecords: 10, steadySeconds: 2 },
};

export async function deleteData({ api, db, pool, quick, figures, log }: ServersContext) {
  const sizes = quick ? SIZES.quick : SIZES.full;
  log(`delete data: loading ${fmt(sizes.records)} usage records of one server`);
  const owner = await customerWithAdmin(db, api.url, 'Bench Deleting Customer');
  const client = await pool.connect();
  let serverId: string;
  try {
    serverId = await loadUsageRecords(client, owner.customerId, sizes.records);
  } finally {
    client.release();
  }
  // Other customers upload meanwhile: a steady rate, as servers in the field report.
  const credentials: string[] = [];
  for (let c = 0; c < 4; c++) {
    const other = await customerWithAdmin(db, api.url, `Bench Other Customer ${c + 1}`);
    credentials.push(...(await registerServers(api.url, other, Math.max(1, sizes.otherServers / 4))));
  }
  const job: LoadJob = {
    kind: 'usage',
    url: api.url,
    credentials,
    recordsJson: JSON.stringify(usageRecords(sizes.otherRecords)),
    collectedAt: new Date().toISOString(),
    connections: 4,
    duration: sizes.steadySeconds,
    overallRate: sizes.otherRate,
  };
  const baseline = await load(job);
  log(`  others' uploads without the delete: ${describeLoad(baseline)}`);

  const during = load({ ...job, duration: sizes.steadySeconds + 5 });
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const { seconds, ...response } = await deleteUsage(api.url, serverId, owner.headers);
  if (response.status !== 200) throw new Error(`DELETE answered ${response.status} ${JSON.stringify(response.body)}`);
  const deleted = response.body.deletedRecords as number;
  // Gone for every reader, at once: the series, the list, and the single server.
  const series = await call(
    api.url,
    'GET',
    `/api/console/license-servers/${serverId}/usage?from=${day(Date.now() - 399 * DAY_MS)}`,
    undefined,
    owner.headers,
  );
  const list = await call(api.url, 'GET', '/api/console/license-servers', undefined, owner.headers);
  const visible = (series.body.series as unknown[]).length + (list.body.items as unknown[]).length;
  if (deleted !== sizes.records || visible !== 0) {
    throw new Error(`DELETE reported ${deleted} records, and ${visible} series or servers still show`);
  }
  const others = await during;
  log(`  DELETE of ${fmt(deleted)} records: ${fmt(seconds, 2)} s; others meanwhile: ${describeLoad(others)}`);
  figures.push({
    name: `Delete data of one server, ${fmt(sizes.records)} usage records`,
    ours: `${fmt(seconds, 2)} s`,
    target: '< 10 s',
    met: seconds < 10,
  });
  const ratio = others.latency.p99 / Math.max(1, baseline.latency.p99);
  figures.push({
    name: `Other customers' uploads during the delete, p99 (${sizes.otherRate} reports/s of ${sizes.otherRecords} records, 4 connections)`,
    ours: `${others.latency.p99} ms during (${fmt(others.ok)} ok, ${others.non2xx} non-2xx)`,
    reference: `${baseline.latency.p99} ms without the delete`,
    ratio: `${fmt(ratio, 2)}×`,
    target: '≤ 2×',
    met: ratio <= 2,
  });
}
