import type { TUsageRecord } from '@reg/contracts/usage-api';
import type { Db } from '@reg/db/client';

/**
 * The daily rollups (table usage_daily, docs/usage-insights.md) are written only here.
 *
 * Why a recomputation and not a bare `GREATEST` upsert: a later-collected report replaces a
 * period's record and may LOWER it, which `GREATEST` can't express. So each upload recomputes
 * exactly the (product key, day) pairs it touched from the raw records of those days, inside
 * its transaction, and overwrites those rollup rows. That is bounded (one day of one key: at
 * most 96 records at 15-minute snapshots) and exact. It is also safe under concurrency: the
 * upload holds its registration row lock (taken by its first statement) and this statement,
 * run after it, gets a fresh snapshot (READ COMMITTED), so it sees every upload of the server
 * that committed before, and the next one waits for this one. Delete data takes the server
 * row lock uploads also take, so neither interleaves with the other.
 */

/** One (product key, UTC day) an upload touched, as four parallel arrays for unnest. */
export interface TouchedDays {
  productCodes: string[];
  editions: string[];
  licenseModels: string[];
  days: string[];
}

export function touchedDays(
  records: readonly Pick<TUsageRecord, 'periodStart' | 'productCode' | 'edition' | 'licenseModel'>[],
): TouchedDays {
  const seen = new Set<string>();
  const touched: TouchedDays = { productCodes: [], editions: [], licenseModels: [], days: [] };
  for (const r of records) {
    const day = new Date(r.periodStart).toISOString().slice(0, 10);
    const key = `${r.productCode}\u0000${r.edition}\u0000${r.licenseModel}\u0000${day}`;
    if (seen.has(key)) continue;
    seen.add(key);
    touched.productCodes.push(r.productCode);
    touched.editions.push(r.edition);
    touched.licenseModels.push(r.licenseModel);
    touched.days.push(day);
  }
  return touched;
}

/**
 * Recomputes the touched days of one server from its raw records: per period the record with
 * the latest collected_at (then the highest id: the later insert) wins, then the day's highest
 * values, and the newest period's values. $1 customer, $2 server, $3..$6 the touched arrays.
 */
export const REFRESH_DAYS_SQL = `
  WITH touched AS (
    SELECT DISTINCT t.product_code, t.edition, t.license_model, t.day
    FROM unnest($3::text[], $4::text[], $5::text[], $6::date[]) AS t(product_code, edition, license_model, day)
  ), days AS MATERIALIZED (
    SELECT DISTINCT day FROM touched
  ), scanned AS MATERIALIZED (
    -- Per touched day one index range scan of the server's records (the fences keep the planner
    -- from joining the whole history with the touched keys first), then only the touched keys.
    SELECT d.day, u.*
    FROM days d
    CROSS JOIN LATERAL (
      SELECT r.product_code, r.edition, r.license_model, r.period_start, r.installed, r.in_use, r.peak_in_use, r.collected_at, r.id
      FROM usage_records r
      WHERE r.license_server_id = $2::uuid
        AND r.period_start >= (d.day::timestamp AT TIME ZONE 'UTC')
        AND r.period_start < ((d.day + 1)::timestamp AT TIME ZONE 'UTC')
      OFFSET 0
    ) u
  ), latest AS (
    -- Per period the winner is the highest (collected_at, id): the max of an array compares
    -- element by element, so the winner's values ride along. Keys in byte order (COLLATE "C":
    -- the same groups): sorting them by the locale cost more than the rest of the statement.
    SELECT s.product_code COLLATE "C" AS product_code, s.edition COLLATE "C" AS edition,
           s.license_model COLLATE "C" AS license_model, s.day, s.period_start,
           max(ARRAY[(extract(epoch FROM s.collected_at) * 1000)::bigint, s.id, s.installed, s.in_use, s.peak_in_use]) AS w
    FROM scanned s JOIN touched t USING (product_code, edition, license_model, day)
    GROUP BY 1, 2, 3, 4, 5
  ), per_day AS (
    -- The day's highest values, and (again by an array's max) the values of its newest period.
    SELECT product_code, edition, license_model, day,
           max(w[3])::int AS installed, max(w[4])::int AS in_use, max(w[5])::int AS peak_in_use,
           max(ARRAY[(extract(epoch FROM period_start) * 1000)::bigint, w[3], w[4]]) AS last
    FROM latest GROUP BY product_code, edition, license_model, day
  ), daily AS (
  INSERT INTO usage_daily (customer_id, license_server_id, product_code, edition, license_model, day,
                           installed, in_use, peak_in_use, last_period_start, last_installed, last_in_use)
  SELECT $1::uuid, $2::uuid, product_code, edition, license_model, day, installed, in_use, peak_in_use,
         to_timestamp(last[1] / 1000.0), last[2]::int, last[3]::int
  FROM per_day
  ON CONFLICT (license_server_id, product_code, edition, license_model, day) DO UPDATE SET
    installed = EXCLUDED.installed, in_use = EXCLUDED.in_use, peak_in_use = EXCLUDED.peak_in_use,
    last_period_start = EXCLUDED.last_period_start, last_installed = EXCLUDED.last_installed,
    last_in_use = EXCLUDED.last_in_use
  RETURNING license_server_id, product_code, edition, license_model, day, installed, in_use,
            last_period_start, last_installed, last_in_use
  )
  -- The newest day per key moves forward only (a day's rollup never disappears but with Delete data).
  INSERT INTO usage_latest (customer_id, license_server_id, product_code, edition, license_model, day,
                            installed, in_use, last_period_start, last_installed, last_in_use)
  SELECT DISTINCT ON (product_code, edition, license_model)
         $1::uuid, license_server_id, product_code, edition, license_model, day,
         installed, in_use, last_period_start, last_installed, last_in_use
  FROM daily ORDER BY product_code, edition, license_model, day DESC
  ON CONFLICT (license_server_id, product_code, edition, license_model) DO UPDATE SET
    day = EXCLUDED.day, installed = EXCLUDED.installed, in_use = EXCLUDED.in_use,
    last_period_start = EXCLUDED.last_period_start, last_installed = EXCLUDED.last_installed,
    last_in_use = EXCLUDED.last_in_use
  WHERE usage_latest.day <= EXCLUDED.day`;

export const refreshDaysValues = (customerId: string, licenseServerId: string, t: TouchedDays) => [
  customerId,
  licenseServerId,
  t.productCodes,
  t.editions,
  t.licenseModels,
  t.days,
];

type Tx = Pick<Db, '$executeRaw' | '$executeRawUnsafe' | '$queryRaw'>;

/** The same recomputation inside a Prisma transaction (the slow upload path). */
export async function refreshDays(tx: Tx, customerId: string, licenseServerId: string, touched: TouchedDays) {
  await tx.$executeRawUnsafe(REFRESH_DAYS_SQL, ...refreshDaysValues(customerId, licenseServerId, touched));
}

/**
 * Delete data's first step: lock the server row (uploads of the server update it, so they
 * wait for the deletion to commit, and it waits for uploads in flight), then drop its rollups.
 */
export async function lockServerAndClearRollups(tx: Tx, licenseServerId: string) {
  await tx.$queryRaw`SELECT id FROM license_servers WHERE id = ${licenseServerId}::uuid FOR NO KEY UPDATE`;
  await tx.$executeRaw`DELETE FROM usage_daily WHERE license_server_id = ${licenseServerId}::uuid`;
  await tx.$executeRaw`DELETE FROM usage_latest WHERE license_server_id = ${licenseServerId}::uuid`;
}
