import type { TGranularity, TLicenseModel } from '@reg/contracts/usage-api';
import { poolOf, type Db } from '@reg/db/client';
import { sqlParams } from '../../lib/sql-params.ts';
import { customerSeriesSql, customerSummarySql } from './usage-customer-rollup.repository.ts';

/**
 * Reads of the daily rollups (usage_daily), never of raw records: their cost follows days
 * times product keys, not the number of records (docs/usage-insights.md).
 */

/** One server of the customer, all of them (the overview), or those whose active registration carries a tag. */
export interface Scope {
  customerId: string;
  licenseServerId?: string;
  tag?: string;
}

interface KeyRow {
  product_code: string;
  edition: string;
  license_model: TLicenseModel;
}
export interface PointRow extends KeyRow {
  day: string;
  installed: number;
  in_use: number;
  peak_in_use: number;
}
export interface SummaryRow extends KeyRow {
  installed: number;
  in_use: number;
  peak_in_use: number;
  peak_day: string;
  peak_this_month: number | null;
  peak_all_time: number;
  overdraft: boolean;
}
interface LatestRow extends KeyRow {
  license_server_id: string;
  installed: number;
  in_use: number;
  last_period_start: Date;
  day_installed: number;
  day_in_use: number;
}

/** The parameters of the series and summary reads (lib/sql-params.ts). */
const DAYS = sqlParams('customer', 'server', 'from', 'to');
const PERIODS = sqlParams('customer', 'server', 'from', 'to', 'granularity');
const SUMMARY = sqlParams('customer', 'server', 'from', 'to', 'monthStart');
const p = { ...PERIODS.p, ...SUMMARY.p };

/**
 * The customer, and the server or null (every server of the customer): two texts, so that
 * each prepared statement gets a plan for its own case (the server's key, or the customer's).
 */
const inScope = (scope: Scope) =>
  scope.licenseServerId
    ? `customer_id = ${p.customer}::uuid AND license_server_id = ${p.server}::uuid`
    : `customer_id = ${p.customer}::uuid AND ${p.server}::uuid IS NULL`;
const scopeName = (scope: Scope) => (scope.licenseServerId ? 'server' : 'customer');
const inRange = `day >= ${p.from}::date AND day <= ${p.to}::date`;

/**
 * Series and summaries go through node-postgres directly: a year of one server is thousands of
 * rows, and Prisma's raw-query result handling cost more than the query itself.
 */
export function createUsageReadsRepository(db: Db) {
  const pool = poolOf(db);
  /**
   * Points per product key: each server's point of a period is the highest of its days, and
   * the scope's point is the sum over its servers (a server without a point adds nothing).
   */
  async function series(scope: Scope, from: string, to: string, granularity: TGranularity) {
    if (!scope.licenseServerId) {
      // The whole customer or a tag: its rollup, one row per key and period (usage-customer-rollup.repository.ts).
      const { rows } = await pool.query<PointRow>({
        name: `usage-series-customer-rollup-${granularity}`,
        text: customerSeriesSql(granularity),
        values: [scope.customerId, from, to, scope.tag ?? ''],
      });
      return rows;
    }
    const byName = { customer: scope.customerId, server: scope.licenseServerId ?? null, from, to, granularity };
    if (granularity === 'day') {
      // One server by day: its rows as stored, in primary key order (no grouping, no sort).
      const { rows } = await pool.query<PointRow>({
        name: 'usage-series-server-days',
        text: `SELECT product_code, edition, license_model, to_char(day, 'YYYY-MM-DD') AS day, installed, in_use, peak_in_use
               FROM usage_daily WHERE ${inScope(scope)} AND ${inRange}
               ORDER BY license_server_id, product_code, edition, license_model, day`,
        values: DAYS.values(byName),
      });
      return rows;
    }
    const { rows } = await pool.query<PointRow>({
      name: `usage-series-${scopeName(scope)}`,
      text: `
        SELECT product_code, edition, license_model, to_char(period, 'YYYY-MM-DD') AS day,
               sum(installed)::int AS installed, sum(in_use)::int AS in_use, sum(peak_in_use)::int AS peak_in_use
        FROM (SELECT license_server_id, product_code, edition, license_model, date_trunc(${p.granularity}, day::timestamp)::date AS period,
                     max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
              FROM usage_daily
              WHERE ${inScope(scope)} AND ${inRange}
              GROUP BY 1, 2, 3, 4, 5) per_server
        GROUP BY product_code, edition, license_model, period
        ORDER BY product_code, edition, license_model, period`,
      values: PERIODS.values(byName),
    });
    return rows;
  }

  /**
   * Per product key, from the daily points summed over the scope's servers: the latest point in
   * the range (each server's own latest day, summed), the range's peak and its (latest) day,
   * whether any day of the range peaked above its installed, this month's and the all-time peak.
   * "The largest (peak, day)" and "the newest day's values" are max() of an array (compared element
   * by element), not ordered aggregates or DISTINCT ON: plain aggregates hash without sorting the rows.
   */
  async function summary(scope: Scope, from: string, to: string, monthStart: string) {
    if (!scope.licenseServerId) {
      const byTag = scope.tag !== undefined;
      const { rows } = await pool.query<SummaryRow>({
        name: `usage-summary-customer-rollup${byTag ? '-tag' : ''}`,
        text: customerSummarySql(byTag),
        values: [scope.customerId, from, to, monthStart, scope.tag ?? ''],
      });
      return rows;
    }
    const { rows } = await pool.query<SummaryRow>({
      name: `usage-summary-${scopeName(scope)}`,
      text: `
      WITH daily AS (
        SELECT product_code, edition, license_model, day, sum(installed) AS installed, sum(peak_in_use) AS peak
        FROM usage_daily WHERE ${inScope(scope)}
        GROUP BY product_code, edition, license_model, day
      ), peaks AS (
        SELECT product_code, edition, license_model,
               max(ARRAY[peak, day - DATE '2000-01-01']) FILTER (WHERE ${inRange}) AS peak_at,
               coalesce(bool_or(peak > installed) FILTER (WHERE ${inRange}), false) AS overdraft,
               max(peak) FILTER (WHERE day >= ${p.monthStart}::date)::int AS peak_this_month,
               max(peak)::int AS peak_all_time
        FROM daily GROUP BY product_code, edition, license_model
      ), latest AS (
        SELECT product_code, edition, license_model, sum(last[2])::int AS installed, sum(last[3])::int AS in_use
        FROM (SELECT license_server_id, product_code, edition, license_model,
                     max(ARRAY[day - DATE '2000-01-01', installed, in_use]) AS last
              FROM usage_daily
              WHERE ${inScope(scope)} AND ${inRange}
              GROUP BY license_server_id, product_code, edition, license_model) per_server
        GROUP BY product_code, edition, license_model
      )
      SELECT l.product_code, l.edition, l.license_model, l.installed, l.in_use,
             p.peak_at[1]::int AS peak_in_use, to_char(DATE '2000-01-01' + p.peak_at[2]::int, 'YYYY-MM-DD') AS peak_day,
             p.peak_this_month, p.peak_all_time, p.overdraft
      FROM latest l JOIN peaks p USING (product_code, edition, license_model)
      ORDER BY l.product_code, l.edition, l.license_model`,
      values: SUMMARY.values({
        customer: scope.customerId,
        server: scope.licenseServerId ?? null,
        from,
        to,
        monthStart,
      }),
    });
    return rows;
  }

  /** Per server and product key, the newest day's rollup (usage_latest): its newest period and its day point. */
  async function latestOf(serverIds: string[]) {
    if (!serverIds.length) return [];
    const { rows } = await pool.query<LatestRow>({
      name: 'usage-latest-of',
      text: `SELECT license_server_id, product_code, edition, license_model, last_installed AS installed, last_in_use AS in_use,
                    last_period_start, installed AS day_installed, in_use AS day_in_use
             FROM usage_latest WHERE license_server_id = ANY($1::uuid[])
             ORDER BY license_server_id, product_code, edition, license_model`,
      values: [serverIds],
    });
    return rows;
  }

  /** Servers shown on License Servers (usage data or an active registration), by their registration's state. */
  async function serverCounts(customerId: string, notReportingBefore: Date) {
    const [row] = await db.$queryRaw<
      { total: number; reporting: number; not_reporting: number; never_contacted: number }[]
    >`
      SELECT count(*)::int AS total,
             count(*) FILTER (WHERE r.id IS NOT NULL AND r.last_contact_at > ${notReportingBefore})::int AS reporting,
             count(*) FILTER (WHERE r.id IS NOT NULL AND r.last_contact_at <= ${notReportingBefore})::int AS not_reporting,
             count(*) FILTER (WHERE r.id IS NOT NULL AND r.last_contact_at IS NULL)::int AS never_contacted
      FROM license_servers ls
      LEFT JOIN registrations r ON r.license_server_id = ls.id AND r.removed_at IS NULL AND NOT r.pending_approval
      WHERE ls.customer_id = ${customerId}::uuid
        AND (r.id IS NOT NULL OR EXISTS (SELECT 1 FROM usage_latest d WHERE d.license_server_id = ls.id))`;
    return row ?? { total: 0, reporting: 0, not_reporting: 0, never_contacted: 0 };
  }

  /** The overview's server counts by tag: the servers whose active registration carries it, by its state. */
  async function taggedServerCounts(customerId: string, tag: string, notReportingBefore: Date) {
    const [row] = await db.$queryRaw<
      { total: number; reporting: number; not_reporting: number; never_contacted: number }[]
    >`
      SELECT count(*)::int AS total,
             count(*) FILTER (WHERE r.last_contact_at > ${notReportingBefore})::int AS reporting,
             count(*) FILTER (WHERE r.last_contact_at <= ${notReportingBefore})::int AS not_reporting,
             count(*) FILTER (WHERE r.last_contact_at IS NULL)::int AS never_contacted
      FROM registrations r
      WHERE r.customer_id = ${customerId}::uuid AND r.removed_at IS NULL AND NOT r.pending_approval
        AND r.tags @> ARRAY[${tag}::text]`;
    return row ?? { total: 0, reporting: 0, not_reporting: 0, never_contacted: 0 };
  }

  async function ownServer(customerId: string, id: string) {
    return db.licenseServer.findFirst({ where: { id, customerId }, select: { id: true } });
  }

  return { series, summary, latestOf, serverCounts, ownServer, taggedServerCounts };
}
