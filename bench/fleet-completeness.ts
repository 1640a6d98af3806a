/**
 * The overview's completeness reads (late days and per-day coverage) alone, for a year of the
 * fleet, against the same answer read the way it was before they were kept at ingestion
 * (docs/decisions/015-completeness-rollup.md): late days from every raw record of the range with
 * its report's receipt time, and coverage from every registration joined with every day.
 */
import type { Db } from '@reg/db/client';
import type pg from 'pg';
import { createUsageCompletenessRepository } from '../apps/api/src/modules/usage/usage-completeness.repository.ts';
import { timeRequests } from './fixtures.ts';
import type { Figure } from './report.ts';

const LATE_FROM_RECORDS = `
  SELECT product_code, edition, license_model, day
  FROM (SELECT r.license_server_id, r.product_code, r.edition, r.license_model,
               (r.period_start AT TIME ZONE 'UTC')::date AS day, min(rep.received_at) AS first_received
        FROM usage_records r JOIN usage_reports rep ON rep.id = r.usage_report_id
        WHERE r.customer_id = $1::uuid
          AND r.period_start >= ($2::date)::timestamp AT TIME ZONE 'UTC'
          AND r.period_start < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'
        GROUP BY 1, 2, 3, 4, 5) firsts
  WHERE first_received >= (day + 2)::timestamp AT TIME ZONE 'UTC'
  GROUP BY product_code, edition, license_model, day`;

const COVERAGE_FROM_REGISTRATIONS = `
  WITH days AS (
    SELECT d::date AS day FROM generate_series($2::date, $3::date, interval '1 day') d
  ), reported AS (
    SELECT DISTINCT license_server_id, day FROM usage_daily
    WHERE customer_id = $1::uuid AND day >= $2::date AND day <= $3::date
  ), registered AS (
    SELECT DISTINCT r.license_server_id, days.day
    FROM registrations r JOIN days
      ON r.registered_at < (days.day + 1)::timestamp AT TIME ZONE 'UTC'
     AND days.day::timestamp AT TIME ZONE 'UTC' <= $4::timestamptz
     AND (r.removed_at IS NULL OR r.removed_at >= days.day::timestamp AT TIME ZONE 'UTC')
    WHERE r.customer_id = $1::uuid
  ), counted AS (
    SELECT license_server_id, day FROM registered UNION SELECT license_server_id, day FROM reported
  )
  SELECT days.day, count(c.license_server_id)::int AS registered, count(rep.license_server_id)::int AS reported
  FROM days
  LEFT JOIN counted c ON c.day = days.day
  LEFT JOIN reported rep ON rep.day = c.day AND rep.license_server_id = c.license_server_id
  GROUP BY days.day ORDER BY days.day`;

const fmt = (n: number) => n.toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

export async function completenessFigure(args: {
  db: Db;
  pool: pg.Pool;
  customerId: string;
  from: string;
  to: string;
  samples: number;
  label: string;
  figures: Figure[];
  log: (line: string) => void;
}) {
  const { db, pool, customerId, from, to, samples, label, figures, log } = args;
  const completeness = createUsageCompletenessRepository(db);
  const now = new Date();
  const ours = await timeRequests(samples, async () => {
    await Promise.all([
      completeness.lateDays({ customerId }, from, to),
      completeness.coverage(customerId, undefined, from, to, now),
    ]);
    return 200;
  });
  const before = await timeRequests(3, async () => {
    await Promise.all([
      pool.query(LATE_FROM_RECORDS, [customerId, from, to]),
      pool.query(COVERAGE_FROM_REGISTRATIONS, [customerId, from, to, now]),
    ]);
    return 200;
  });
  log(`  completeness reads alone: p95 ${fmt(ours.p95)} ms; as read before: p95 ${fmt(before.p95)} ms`);
  figures.push({
    name: `${label}: the overview's completeness reads alone (late days and coverage of a year)`,
    ours: `p95 ${fmt(ours.p95)} ms (p50 ${fmt(ours.p50)} ms, ${samples} runs)`,
    reference: `read from raw records and every registration × day, as before ADR 015 (3 runs): p95 ${fmt(before.p95)} ms`,
    target: '– (part of the overview, p95 < 150 ms)',
  });
}
