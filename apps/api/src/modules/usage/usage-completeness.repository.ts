import { poolOf, type Db } from '@reg/db/client';
import type { Scope } from './usage-reads.repository.ts';

/**
 * What completeness reads (docs/usage-insights.md, "No report is not zero"): which days of a
 * range were filled late, and per day how many servers were registered and how many reported.
 * Both come from what ingestion keeps (docs/decisions/015-completeness-rollup.md), so a read
 * costs days (and registrations), never servers times days.
 */

export interface LateRow {
  product_code: string;
  edition: string;
  license_model: string;
  day: string;
}

interface CoverageRow {
  day: string;
  registered: number;
  reported: number;
}

/** The customer rollup's rows of one granularity and tag in a day range, with the deltas not folded yet. */
const rollupRows = (granularity: string, columns: string) => `
  SELECT product_code, edition, license_model, period, ${columns}
  FROM usage_customer_rollups
  WHERE customer_id = $1::uuid AND tag = $2::text AND granularity = '${granularity}' AND period >= $3::date AND period <= $4::date
  UNION ALL
  SELECT product_code, edition, license_model, period, ${columns}
  FROM usage_customer_deltas
  WHERE customer_id = $1::uuid AND tag = $2::text AND granularity = '${granularity}' AND period >= $3::date AND period <= $4::date`;

/**
 * Registered servers per day from their registrations, one row each: a server counts on a day
 * one of its registrations covers (made before the day ended, not removed before it began, the
 * day begun by `now`). A server's registrations are taken in order of their first day, each
 * without the days the earlier ones already covered (they all began earlier, so what they
 * covered from this one's first day on is up to the furthest day they reached): the pieces are
 * disjoint, and each adds 1 from its first day and removes it after its last, a running sum
 * over the range's days. Most servers have one registration; no grouping by server is needed.
 * By tag ($2 not ''), the servers whose active registration carries it.
 */
const REGISTERED = `
  intervals AS (
    SELECT r.license_server_id,
           greatest((r.registered_at AT TIME ZONE 'UTC')::date, $3::date) AS first_day,
           least(coalesce((r.removed_at AT TIME ZONE 'UTC')::date, $4::date), ($5::timestamptz AT TIME ZONE 'UTC')::date, $4::date) AS last_day
    FROM registrations r
    WHERE r.customer_id = $1::uuid
      AND ($2::text = '' OR r.license_server_id IN (
        SELECT t.license_server_id FROM registrations t
        WHERE t.customer_id = $1::uuid AND t.removed_at IS NULL AND NOT t.pending_approval AND t.tags @> ARRAY[$2::text]))
  ), pieces AS (
    SELECT greatest(first_day, reached + 1) AS first_day, last_day
    FROM (SELECT first_day, last_day,
                 max(last_day) OVER (PARTITION BY license_server_id ORDER BY first_day, last_day
                                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reached
          FROM intervals WHERE first_day <= last_day) ordered
    WHERE reached IS NULL OR last_day > reached
  ), steps AS (
    SELECT s.day, sum(s.step) AS step
    FROM pieces CROSS JOIN LATERAL (VALUES (pieces.first_day, 1), (pieces.last_day + 1, -1)) AS s(day, step)
    GROUP BY s.day
  ), by_interval AS (
    SELECT days.day, (sum(coalesce(s.step, 0)) OVER (ORDER BY days.day))::int AS registered
    FROM days LEFT JOIN steps s ON s.day = days.day
  )`;

/** Coverage per day of $3..$4 for customer $1 and tag $2 ('' the whole customer), today by $5 (see coverage below). */
const COVERAGE = `
  WITH days AS (
    SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') d
  ), reported AS (
    SELECT period AS day, sum(servers)::int AS reported, sum(unregistered)::int AS unregistered
    FROM (${rollupRows('servers', 'servers, unregistered')}) x
    GROUP BY period
  ), ${REGISTERED}
  SELECT to_char(b.day, 'YYYY-MM-DD') AS day,
         CASE WHEN b.day > ($5::timestamptz AT TIME ZONE 'UTC')::date THEN coalesce(r.reported, 0)
              ELSE b.registered + coalesce(r.unregistered, 0) END AS registered,
         coalesce(r.reported, 0) AS reported
  FROM by_interval b LEFT JOIN reported r ON r.day = b.day
  ORDER BY b.day`;

export function createUsageCompletenessRepository(db: Db) {
  const pool = poolOf(db);

  /**
   * (product key, day) pairs of the range where some server's first record of that key for that
   * day was received on or after the day after next (UTC): more than 24 hours after the day
   * ended. The first receipt counts, so a later correction of a day that came in time is not
   * late. Kept at ingestion: per server in usage_daily.late, summed per customer and tag in the
   * customer rollup (its `late` count of a day's servers).
   */
  async function lateDays(scope: Scope, from: string, to: string): Promise<LateRow[]> {
    if (scope.licenseServerId) {
      const { rows } = await pool.query<LateRow>({
        name: 'usage-late-days-server-daily',
        text: `
          SELECT product_code, edition, license_model, to_char(day, 'YYYY-MM-DD') AS day
          FROM usage_daily
          WHERE customer_id = $1::uuid AND license_server_id = $2::uuid AND day >= $3::date AND day <= $4::date AND late`,
        values: [scope.customerId, scope.licenseServerId, from, to],
      });
      return rows;
    }
    const { rows } = await pool.query<LateRow>({
      name: 'usage-late-days-rollup',
      text: `
        SELECT product_code, edition, license_model, to_char(period, 'YYYY-MM-DD') AS day
        FROM (${rollupRows('day', 'late')}) x
        GROUP BY product_code, edition, license_model, period
        HAVING sum(late) > 0`,
      values: [scope.customerId, scope.tag ?? '', from, to],
    });
    return rows;
  }

  /**
   * One row per day of the range: `registered`, the license servers (of the tag, when given)
   * with a registration covering that day, or a record for it; `reported`, those with a record
   * (of any key) for that day. Reported servers come from the rollup's 'servers' rows, with how
   * many of them no registration covered; so registered = the registrations' count of the day
   * plus those. A day not begun yet has no registered server but those that reported.
   */
  async function coverage(customerId: string, tag: string | undefined, from: string, to: string, now: Date) {
    const { rows } = await pool.query<CoverageRow>({
      name: 'usage-coverage-rollup',
      text: COVERAGE,
      values: [customerId, tag ?? '', from, to, now],
    });
    return rows;
  }

  return { lateDays, coverage };
}
