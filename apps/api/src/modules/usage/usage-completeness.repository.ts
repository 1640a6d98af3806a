import { poolOf, type Db } from '@reg/db/client';
import type { Scope } from './usage-reads.repository.ts';

/**
 * What completeness reads (docs/usage-insights.md, "No report is not zero"): which days of a
 * range were filled late, and per day how many servers were registered and how many reported.
 * Kept apart from the series reads so the overview's source of points can change without them.
 */

export interface LateRow {
  product_code: string;
  edition: string;
  license_model: string;
  day: string;
}

export interface CoverageRow {
  day: string;
  registered: number;
  reported: number;
}

export function createUsageCompletenessRepository(db: Db) {
  const pool = poolOf(db);

  /**
   * (product key, day) pairs of the range where some server's first record of that key for that
   * day was received on or after the day after next (UTC): more than 24 hours after the day
   * ended. The first receipt counts, so a later correction of a day that came in time is not
   * late. This reads raw records (with their report's received_at) for the range: the rollups
   * keep no receipt time; bounded by the range like the series.
   */
  async function lateDays(scope: Scope, from: string, to: string): Promise<LateRow[]> {
    const { rows } = await pool.query<LateRow>({
      name: scope.licenseServerId ? 'usage-late-days-server' : 'usage-late-days-customer',
      text: `
        SELECT product_code, edition, license_model, to_char(day, 'YYYY-MM-DD') AS day
        FROM (SELECT r.license_server_id, r.product_code, r.edition, r.license_model,
                     (r.period_start AT TIME ZONE 'UTC')::date AS day, min(rep.received_at) AS first_received
              FROM usage_records r JOIN usage_reports rep ON rep.id = r.usage_report_id
              WHERE r.customer_id = $1::uuid
                AND ${scope.licenseServerId ? 'r.license_server_id = $2::uuid' : '$2::uuid IS NULL'}
                AND r.period_start >= ($3::date)::timestamp AT TIME ZONE 'UTC'
                AND r.period_start < ($4::date + 1)::timestamp AT TIME ZONE 'UTC'
              GROUP BY 1, 2, 3, 4, 5) firsts
        WHERE first_received >= (day + 2)::timestamp AT TIME ZONE 'UTC'
        GROUP BY product_code, edition, license_model, day`,
      values: [scope.customerId, scope.licenseServerId ?? null, from, to],
    });
    return rows;
  }

  /**
   * One row per day of the range: `registered`, the customer's license servers with an active
   * registration at some moment of that day (today: up to now; a day still to come: none) or a
   * record for it; `reported`,
   * those of them with a record (of any key) for that day.
   */
  async function coverage(customerId: string, from: string, to: string, now: Date): Promise<CoverageRow[]> {
    const { rows } = await pool.query<CoverageRow>({
      name: 'usage-coverage',
      text: `
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
        SELECT to_char(days.day, 'YYYY-MM-DD') AS day,
               count(c.license_server_id)::int AS registered,
               count(rep.license_server_id)::int AS reported
        FROM days
        LEFT JOIN counted c ON c.day = days.day
        LEFT JOIN reported rep ON rep.day = c.day AND rep.license_server_id = c.license_server_id
        GROUP BY days.day ORDER BY days.day`,
      values: [customerId, from, to, now],
    });
    return rows;
  }

  return { lateDays, coverage };
}
