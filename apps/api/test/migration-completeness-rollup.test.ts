/**
 * The migration that keeps completeness at ingestion (ADR 015) backfills it from the data
 * already stored: each server's late days from the first receipt of its records, its reported
 * days with whether a registration covered them, and the customer rollup's counts (as deltas,
 * whole customer and by tag). After it, the overview's reads answer what the raw data says.
 */
import { createDb, type Db } from '@reg/db/client';
import { migrate } from '@reg/db/migrator';
import { useDatabaseBefore } from './helpers/migrations.ts';
import { afterAll, expect, it } from 'vitest';
import { foldDeltaBatch } from '../src/modules/usage/usage-customer-rollup.repository.ts';
import { createUsageCompletenessRepository } from '../src/modules/usage/usage-completeness.repository.ts';
import { coverageFromRaw, lateFromRaw } from './helpers/completeness.ts';

const MIGRATION = '20261207060000_usage_completeness_rollup';
const NOW = new Date('2026-10-20T12:00:00Z');
const before = useDatabaseBefore(MIGRATION);
let db: Db | undefined;

afterAll(async () => {
  await db?.$disconnect();
});

const q = (text: string, values: unknown[] = []) => before.client.query(text, values);

/** A license server and its registrations ([registered, removed or null, tags]). */
async function serverWith(customer: string, registrations: [string, string | null, string[]][]) {
  const id = crypto.randomUUID();
  const instance = crypto.randomUUID();
  await q(
    `INSERT INTO license_servers (id, customer_id, instance_id, server_name, hostname) VALUES ($1, $2, $3, 'LS', 'ls')`,
    [id, customer, instance],
  );
  for (const [registeredAt, removedAt, tags] of registrations)
    await q(
      `INSERT INTO registrations (id, customer_id, license_server_id, instance_id, product, product_version, server_name,
                                  hostname, registered_at, registered_by_email, removed_at, tags)
       VALUES (gen_random_uuid(), $1, $2, $3, 'license-server', '11.17.2.0', 'LS', 'ls', $4, 'a@example.com', $5, $6)`,
      [customer, id, instance, registeredAt, removedAt, tags],
    );
  return id;
}

/** A report received at `receivedAt` with a record of the key per day, and the server's daily rows of those days. */
async function report(customer: string, server: string, receivedAt: string, productCode: string, days: string[]) {
  const registration = (await q(`SELECT id FROM registrations WHERE license_server_id = $1 LIMIT 1`, [server])).rows[0]
    .id;
  const reportId = crypto.randomUUID();
  await q(
    `INSERT INTO usage_reports (id, customer_id, license_server_id, registration_id, report_id, body_hash, collected_at, received_at, record_count)
     VALUES ($1, $2, $3, $4, gen_random_uuid(), 'h', $5, $5, $6)`,
    [reportId, customer, server, registration, receivedAt, days.length],
  );
  for (const day of days) {
    await q(
      `INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code,
                                  edition, license_model, installed, in_use, peak_in_use, collected_at)
       VALUES ($1, $2, $3, $4::date::timestamp AT TIME ZONE 'UTC', ($4::date + 1)::timestamp AT TIME ZONE 'UTC', $5,
               'PLT', 'user-device', 10, 3, 3, $6)`,
      [customer, server, reportId, day, productCode, receivedAt],
    );
    await q(
      `INSERT INTO usage_daily (customer_id, license_server_id, product_code, edition, license_model, day, installed, in_use,
                                peak_in_use, last_period_start, last_installed, last_in_use)
       VALUES ($1, $2, $3, 'PLT', 'user-device', $4, 10, 3, 3, $4::date::timestamp AT TIME ZONE 'UTC', 10, 3)
       ON CONFLICT DO NOTHING`,
      [customer, server, productCode, day],
    );
  }
}

const range = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `2026-10-${String(from + i).padStart(2, '0')}`);

it('backfills late days and coverage, for the whole customer and by tag, from the data already stored', async () => {
  const customer = crypto.randomUUID();
  await q(`INSERT INTO customers (id, name) VALUES ($1, 'C')`, [customer]);
  // Registered on the 15th; history from the 10th sent then (late up to the 13th), the rest on the 19th.
  const blue = await serverWith(customer, [['2026-10-15T09:00:00Z', null, ['blue']]]);
  await report(customer, blue, '2026-10-15T10:00:00Z', 'XDT', range(10, 14));
  await report(customer, blue, '2026-10-19T01:00:00Z', 'XDT', range(15, 18));
  await report(customer, blue, '2026-10-19T01:00:00Z', 'XA', range(18, 18));
  // Registered from the 12th to the 16th, then again on the 18th (red): days before, between and in both.
  const red = await serverWith(customer, [
    ['2026-10-12T08:00:00Z', '2026-10-16T08:00:00Z', []],
    ['2026-10-18T08:00:00Z', null, ['red']],
  ]);
  await report(customer, red, '2026-10-16T07:00:00Z', 'XDT', range(11, 16));
  await report(customer, red, '2026-10-19T07:00:00Z', 'XDT', range(17, 19));
  // Overlapping registrations of one server (one inside another, one replaced the same day): counted once a day.
  const twice = await serverWith(customer, [
    ['2026-10-12T08:00:00Z', '2026-10-16T08:00:00Z', []],
    ['2026-10-13T08:00:00Z', '2026-10-14T08:00:00Z', []],
    ['2026-10-16T08:00:00Z', null, ['red']],
  ]);
  await report(customer, twice, '2026-10-19T07:00:00Z', 'XDT', range(15, 17));
  // Registered with nothing sent, and a removed one that reported.
  await serverWith(customer, [['2026-10-14T08:00:00Z', null, ['blue']]]);
  const gone = await serverWith(customer, [['2026-10-09T08:00:00Z', '2026-10-13T08:00:00Z', ['blue']]]);
  await report(customer, gone, '2026-10-12T07:00:00Z', 'XDT', range(9, 12));

  await migrate(before.url);

  db = createDb(before.url, { poolSize: 2 });
  const completeness = createUsageCompletenessRepository(db);
  const [from, to] = ['2026-10-05', '2026-10-25'];
  for (const fold of [false, true]) {
    if (fold) expect(await foldDeltaBatch(db, 10_000)).toBeGreaterThan(0);
    for (const tag of ['', 'blue', 'red']) {
      expect(await completeness.coverage(customer, tag || undefined, from, to, NOW), `coverage ${tag}`).toEqual(
        await coverageFromRaw(db, customer, tag, from, to, NOW),
      );
      const late = await completeness.lateDays({ customerId: customer, ...(tag && { tag }) }, from, to);
      expect(late.map((row) => `${row.product_code}|${row.day}`).sort(), `late ${tag}`).toEqual(
        await lateFromRaw(db, customer, tag, from, to),
      );
    }
  }
  // The servers' own late days too: received two or more days after the day ended.
  const late = await completeness.lateDays({ customerId: customer, licenseServerId: blue }, from, to);
  expect(late.map((row) => row.day).sort()).toEqual([...range(10, 13), ...range(15, 17)]);
  // And what was backfilled is what the reads show: on the 17th blue reported, red reported between
  // its registrations, the overlapping one reported, the silent one was registered, the removed one was gone.
  const coverage = await completeness.coverage(customer, undefined, from, to, NOW);
  expect(coverage.find((row) => row.day === '2026-10-17')).toEqual({ day: '2026-10-17', registered: 4, reported: 3 });
  expect(coverage.find((row) => row.day === '2026-10-13')).toEqual({ day: '2026-10-13', registered: 4, reported: 2 });
}, 120_000);
