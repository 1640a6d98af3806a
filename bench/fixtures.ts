import { randomUUID } from 'node:crypto';
import type { Db } from '@reg/db/client';
import type pg from 'pg';
import { systemClock } from '../apps/api/src/lib/clock.ts';
import { createStandaloneAdminService } from '../apps/api/src/admin-services.ts';

export const PASSWORD = 'bench-password-0123';
export const DAY_MS = 24 * 3600_000;
/** A figure as the report prints it: thousands separated, `digits` decimals. */
export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
/** The UTC day of a time, YYYY-MM-DD. */
export const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export interface Session {
  customerId: string;
  headers: Record<string, string>;
}

/** Sign-in through the API: the session cookie and CSRF token a browser would send. */
export async function signIn(api: string, email: string, password = PASSWORD): Promise<Session> {
  const response = await fetch(`${api}/api/console/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: api },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { csrfToken: string; customer: { id: string } };
  const cookie = response.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  return { customerId: body.customer.id, headers: { cookie, 'x-csrf-token': body.csrfToken, origin: api } };
}

/** A customer with one admin (the operator's way, through the admins service), signed in. */
export async function customerWithAdmin(db: Db, api: string, name: string): Promise<Session> {
  const email = `admin-${randomUUID().slice(0, 8)}@bench.example.com`;
  const admins = createStandaloneAdminService(db, systemClock);
  await admins.createCustomer(
    { type: 'operator', label: 'Benchmark' },
    { name, email, password: PASSWORD, role: 'full', permanent: true },
  );
  return signIn(api, email);
}

/** What the bench's console reads send: the session's cookie and CSRF token. */
export const readHeaders = (session: Session) => ({
  cookie: session.headers.cookie!,
  'x-csrf-token': session.headers['x-csrf-token']!,
});

export async function call(
  api: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(api + path, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

/** Delete data of one server as the console's dialog sends it (both acknowledgements), timed. */
export async function deleteUsage(api: string, serverId: string, headers: Record<string, string>) {
  const started = performance.now();
  const response = await call(
    api,
    'DELETE',
    `/api/console/license-servers/${serverId}/usage`,
    { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
    headers,
  );
  return { ...response, seconds: (performance.now() - started) / 1000 };
}

export const codeRequestBody = (i = 0) => ({
  product: 'license-server',
  productVersion: '11.17.2.0',
  instanceId: randomUUID(),
  serverName: `LS-BENCH-${i}`,
  hostname: `ls-bench-${i}.corp.example.com`,
  os: 'Windows Server 2022',
  usageSharing: true,
});

/** The whole product flow per server: code, admin registers it, product polls its credential. */
export async function registerServers(api: string, session: Session, count: number): Promise<string[]> {
  const credentials: string[] = [];
  const one = async (i: number) => {
    const code = await call(api, 'POST', '/api/product/v1/codes', codeRequestBody(i));
    if (code.status !== 201) throw new Error(`code request: ${code.status} ${JSON.stringify(code.body)}`);
    const registered = await call(api, 'POST', '/api/console/registrations', { code: code.body.code }, session.headers);
    if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.body)}`);
    const polled = await call(api, 'POST', '/api/product/v1/codes/poll', { pollToken: code.body.pollToken });
    if (polled.status !== 200) throw new Error(`poll: ${polled.status} ${JSON.stringify(polled.body)}`);
    credentials.push(polled.body.credential as string);
  };
  for (let i = 0; i < count; i += 8)
    await Promise.all(Array.from({ length: Math.min(8, count - i) }, (_, k) => one(i + k)));
  return credentials;
}

interface UsageRow {
  periodStart: string;
  periodEnd: string;
  productCode: string;
  edition: string;
  licenseModel: 'user-device' | 'concurrent';
  installed: number;
  inUse: number;
  peakInUse: number;
}

const QUARTER_MS = 15 * 60_000;

/**
 * A License Server's report as it really goes: `count` records of 15-minute snapshots
 * (`count / 100` product keys × 100 periods), each period reported once. Report number
 * `variant` of a server covers the 100 quarter hours before those of `variant - 1`, back from
 * `now`: distinct variants never share a period (up to 380 of them stay within the 400 days
 * an upload may name).
 */
export function freshUsageRecords(count: number, variant: number, now = new Date()): UsageRow[] {
  const newest = Math.floor(now.getTime() / QUARTER_MS) * QUARTER_MS;
  return usageRecords(count, now).map((row, i) => {
    const start = newest - (variant * 100 + (i % 100) + 1) * QUARTER_MS;
    return {
      ...row,
      periodStart: new Date(start).toISOString(),
      periodEnd: new Date(start + QUARTER_MS).toISOString(),
    };
  });
}

/**
 * freshUsageRecords as JSON, built from templates: what the load generator sends. Building each
 * report's 1,000 objects and 2,000 ISO strings took it about 2.6 ms of CPU per report, on the
 * same two cores as the API and PostgreSQL (the reference builds its arrays once); this builds
 * the same bytes in a tenth of that (load.ts checks they are the same).
 */
export function freshUsageRecordsJson(count: number, now: Date): (variant: number) => string {
  const newest = Math.floor(now.getTime() / QUARTER_MS) * QUARTER_MS;
  // Each row's JSON split around its two times; rows i and i + 100 share their times.
  const rows = freshUsageRecords(count, 0, now).map((row) => {
    const json = JSON.stringify(row);
    return json.slice(json.indexOf(',"productCode"'));
  });
  return (variant) => {
    const times = Array.from({ length: Math.min(count, 100) }, (_, k) => {
      const start = newest - (variant * 100 + k + 1) * QUARTER_MS;
      return `{"periodStart":"${new Date(start).toISOString()}","periodEnd":"${new Date(start + QUARTER_MS).toISOString()}"`;
    });
    return `[${rows.map((rest, i) => times[i % 100] + rest).join(',')}]`;
  };
}

/** `count` daily records: products × editions × models over the days before today. */
export function usageRecords(count: number, now = new Date()): UsageRow[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const rows: UsageRow[] = [];
  for (let i = 0; i < count; i++) {
    const day = 1 + (i % 100);
    const series = Math.floor(i / 100);
    rows.push({
      periodStart: new Date(today - day * DAY_MS).toISOString(),
      periodEnd: new Date(today - (day - 1) * DAY_MS).toISOString(),
      productCode: `P${String(series % 50).padStart(3, '0')}`,
      edition: ['STD', 'PRO', 'PLT', 'ENT'][series % 4]!,
      licenseModel: series % 2 ? 'concurrent' : 'user-device',
      installed: 500 + (i % 97),
      inUse: 300 + (i % 89),
      peakInUse: 350 + (i % 83),
    });
  }
  return rows;
}

/** 100,000 (or `count`) active registrations in one customer, in three contact states, straight in SQL. */
export async function loadRegistrations(client: pg.ClientBase, customerId: string, adminEmail: string, count: number) {
  await client.query(
    `INSERT INTO license_servers (id, customer_id, instance_id, server_name, hostname, created_at)
     SELECT gen_random_uuid(), $1::uuid, gen_random_uuid(),
            'LS-' || (ARRAY['Berlin','Paris','Osaka','Austin','Lagos','Lima','Oslo','Pune'])[1 + i % 8] || '-' || lpad(i::text, 6, '0'),
            'ls' || i || '.' || (ARRAY['corp','lab','plant','office'])[1 + i % 4] || '.example.com', now()
     FROM generate_series(1, $2::int) AS i`,
    [customerId, count],
  );
  await client.query(
    `INSERT INTO registrations (id, customer_id, license_server_id, instance_id, product, product_version, server_name, hostname, os,
                                registered_at, registered_by_email, last_contact_at)
     SELECT gen_random_uuid(), ls.customer_id, ls.id, ls.instance_id, 'license-server', '11.17.2.0', ls.server_name, ls.hostname,
            'Windows Server 2022', now() - random() * interval '300 days', $2,
            CASE WHEN n % 10 = 0 THEN NULL
                 WHEN n % 10 < 7 THEN now() - random() * interval '24 hours'
                 ELSE now() - interval '3 days' - random() * interval '100 days' END
     FROM (SELECT ls.*, row_number() OVER () AS n FROM license_servers ls WHERE ls.customer_id = $1::uuid) ls`,
    [customerId, adminEmail],
  );
  await client.query('ANALYZE license_servers');
  await client.query('ANALYZE registrations');
}

/** One license server with `count` usage records over the last 390 days, straight in SQL. */
export async function loadUsageRecords(client: pg.ClientBase, customerId: string, count: number): Promise<string> {
  const server = await client.query<{ id: string }>(
    `INSERT INTO license_servers (id, customer_id, instance_id, server_name, hostname, created_at, last_upload_at)
     VALUES (gen_random_uuid(), $1::uuid, gen_random_uuid(), 'LS-BIG-DATA', 'big-data.example.com', now(), now()) RETURNING id`,
    [customerId],
  );
  const serverId = server.rows[0]!.id;
  const report = await client.query<{ id: string }>(
    `INSERT INTO usage_reports (id, customer_id, license_server_id, registration_id, report_id, body_hash, collected_at, received_at, record_count)
     VALUES (gen_random_uuid(), $1::uuid, $2::uuid, gen_random_uuid(), gen_random_uuid(), 'bench', now(), now(), $3) RETURNING id`,
    [customerId, serverId, count],
  );
  await client.query(
    `INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                                license_model, installed, in_use, peak_in_use, collected_at)
     SELECT $1::uuid, $2::uuid, $3::uuid, d, d + interval '1 day', 'P' || (i / 390 % 1000), (ARRAY['STD','PRO','PLT','ENT'])[1 + i % 4],
            CASE WHEN i % 2 = 0 THEN 'user-device' ELSE 'concurrent' END, 500, 300 + i % 100, 400, now()
     FROM generate_series(0, $4::int - 1) AS i, LATERAL (SELECT date_trunc('day', now()) - ((1 + i % 390) * interval '1 day') AS d) p`,
    [customerId, serverId, report.rows[0]!.id, count],
  );
  // As a long-lived table would be: vacuumed (visibility map set), analysed, and written out by a
  // checkpoint (else the bulk load's dirty pages would be written during the measurement).
  await client.query('VACUUM ANALYZE usage_records');
  await client.query('CHECKPOINT');
  return serverId;
}

/**
 * Lets PostgreSQL's background work of the stages before (autovacuum after a million-row delete
 * or a load of codes, the checkpoint their WAL brings) end before something is timed, so that
 * a figure measures its own work and not the bench's history: in full runs that work overlapped
 * the first of two sides measured (ours) and not the reference after it, and doubled reads'
 * p95. Waits for the autovacuum workers (at most two minutes), then a CHECKPOINT.
 */
export async function quiesce(pool: pg.Pool, log: (line: string) => void): Promise<void> {
  const started = performance.now();
  const busy = async () =>
    Number(
      (await pool.query(`SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'`)).rows[0]
        .count,
    );
  while ((await busy()) > 0 && performance.now() - started < 120_000) await new Promise((r) => setTimeout(r, 1000));
  await pool.query('CHECKPOINT');
  log(`  waited ${((performance.now() - started) / 1000).toFixed(1)} s for autovacuum and a checkpoint`);
}

/** Sequential requests: latency percentiles in milliseconds. */
export async function timeRequests(count: number, send: () => Promise<number>) {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const status = await send();
    times.push(performance.now() - started);
    if (status !== 200) throw new Error(`answered ${status}`);
  }
  times.sort((a, b) => a - b);
  const at = (p: number) => times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)]!;
  return { p50: at(50), p95: at(95), max: times[times.length - 1]! };
}

/** `items` worked through `lanes` at a time, each lane in order: the item, its index and its lane. */
export async function inLanes<T>(
  items: T[],
  lanes: number,
  work: (item: T, i: number, lane: number) => Promise<void>,
): Promise<void> {
  await Promise.all(
    Array.from({ length: lanes }, async (_, lane) => {
      for (let i = lane; i < items.length; i += lanes) await work(items[i]!, i, lane);
    }),
  );
}

/** One usage report through the product API, as a License Server sends it; anything but 202 stops the run. */
export async function uploadUsage(api: string, credential: string, report: unknown): Promise<void> {
  const response = await fetch(`${api}/api/product/v1/usage`, {
    method: 'POST',
    headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
    body: JSON.stringify(report),
  });
  if (response.status !== 202) throw new Error(`upload answered ${response.status} ${await response.text()}`);
}
