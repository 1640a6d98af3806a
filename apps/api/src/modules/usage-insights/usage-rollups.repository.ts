import type { Db } from '@reg/db/client';

/**
 * The daily rollups (table usage_daily, docs/usage-insights.md) are written only here.
 *
 * Why not a bare `GREATEST` upsert: a later-collected report replaces a period's record and may
 * LOWER it, which `GREATEST` can't express. So each upload recomputes the (product key, day)
 * pairs where it replaced a period from the raw records of those days, and GREATEST-upserts
 * the days where it only added new periods (rollupCtes), in the statement that stores its
 * records. Both are exact; the recomputation is bounded by what the day holds. It is also safe
 * under concurrency: the upload locks its registration and license server rows first, in a
 * statement of its own (usage.repository.ts), so this statement's snapshot (READ COMMITTED)
 * holds every upload of the server that committed before, and the next one waits for this one.
 * Delete data rebuilds the server's rollups last, under the server row lock (rebuildRollups).
 */

/**
 * CTEs bringing the rollups up to date with the rows of a CTE `new_rows`, defined before them
 * (the records just stored: product_code, edition and license_model COLLATE "C", period_start,
 * day, installed, in_use, peak_in_use, collected_at, id), against `prior`: the server's records
 * stored before them (a table expression; the rows of `new_rows` must not be among them, which
 * holds for the table itself in the statement inserting them). Two cases, both exact:
 * - A (product key, day) where none of the new periods has another record (of an earlier
 *   report, or twice among the new rows): a new period can only raise the day's highest values and
 *   can only be the day's newest period, so a GREATEST upsert with the new rows' values is
 *   the recomputation's result. This is the common case: a License Server reports each period once.
 * - A day where some period already had a record: the later-collected record may lower the day,
 *   so the day is recomputed from its records: per period the record with the latest
 *   collected_at (then the highest id: the later insert) wins, then the day's highest values,
 *   and the newest period's values.
 * Parameters: $1 customer, $2 server. Keys are grouped in byte order (COLLATE "C": the same
 * groups): sorting them by the locale cost more than the rest of the statement.
 */
export const rollupCtes = (prior: string) => `
  stored AS MATERIALIZED (
    -- The periods over the new rows' span that held a record before (of any key): one index range scan.
    SELECT DISTINCT r.period_start
    FROM ${prior} r
    WHERE r.license_server_id = $2::uuid
      AND r.period_start >= (SELECT min(period_start) FROM new_rows)
      AND r.period_start <= (SELECT max(period_start) FROM new_rows)
  ), touched AS MATERIALIZED (
    -- The days to recompute: those with a period stored before, or a period twice among the new rows.
    SELECT DISTINCT i.product_code, i.edition, i.license_model, i.day
    FROM new_rows i
    WHERE i.period_start IN (SELECT period_start FROM stored)
       OR (i.product_code, i.edition, i.license_model, i.period_start) IN (
            SELECT product_code, edition, license_model, period_start FROM new_rows
            GROUP BY 1, 2, 3, 4 HAVING count(*) > 1)
  ), fresh AS (
    -- The other days only gain new periods: GREATEST with the new rows' values is exact.
    SELECT i.product_code, i.edition, i.license_model, i.day,
           max(i.installed) AS installed, max(i.in_use) AS in_use, max(i.peak_in_use) AS peak_in_use,
           max(ARRAY[(extract(epoch FROM i.period_start) * 1000)::bigint, i.installed, i.in_use]) AS last
    FROM new_rows i
    WHERE NOT EXISTS (SELECT 1 FROM touched o WHERE (o.product_code, o.edition, o.license_model, o.day)
                                                    = (i.product_code, i.edition, i.license_model, i.day))
    GROUP BY 1, 2, 3, 4
  ), fresh_daily AS (
  INSERT INTO usage_daily AS d (customer_id, license_server_id, product_code, edition, license_model, day,
                                installed, in_use, peak_in_use, last_period_start, last_installed, last_in_use)
  SELECT $1::uuid, $2::uuid, product_code, edition, license_model, day, installed, in_use, peak_in_use,
         to_timestamp(last[1] / 1000.0), last[2]::int, last[3]::int
  FROM fresh
  ON CONFLICT (license_server_id, product_code, edition, license_model, day) DO UPDATE SET
    installed = GREATEST(d.installed, EXCLUDED.installed), in_use = GREATEST(d.in_use, EXCLUDED.in_use),
    peak_in_use = GREATEST(d.peak_in_use, EXCLUDED.peak_in_use),
    last_period_start = GREATEST(d.last_period_start, EXCLUDED.last_period_start),
    last_installed = CASE WHEN EXCLUDED.last_period_start > d.last_period_start THEN EXCLUDED.last_installed ELSE d.last_installed END,
    last_in_use = CASE WHEN EXCLUDED.last_period_start > d.last_period_start THEN EXCLUDED.last_in_use ELSE d.last_in_use END
  RETURNING license_server_id, product_code, edition, license_model, day, installed, in_use,
            last_period_start, last_installed, last_in_use
  ), days AS MATERIALIZED (
    SELECT DISTINCT day FROM touched
  ), scanned AS MATERIALIZED (
    -- Per recomputed day one index range scan of the server's prior records (the fences keep the
    -- planner from joining the whole history with the touched keys first), and the new rows.
    SELECT d.day, u.*
    FROM days d
    CROSS JOIN LATERAL (
      SELECT r.product_code COLLATE "C" AS product_code, r.edition COLLATE "C" AS edition,
             r.license_model COLLATE "C" AS license_model, r.period_start, r.installed, r.in_use, r.peak_in_use,
             r.collected_at, r.id
      FROM ${prior} r
      WHERE r.license_server_id = $2::uuid
        AND r.period_start >= (d.day::timestamp AT TIME ZONE 'UTC')
        AND r.period_start < ((d.day + 1)::timestamp AT TIME ZONE 'UTC')
      OFFSET 0
    ) u
    UNION ALL
    SELECT n.day, n.product_code, n.edition, n.license_model, n.period_start, n.installed, n.in_use, n.peak_in_use,
           n.collected_at, n.id
    FROM new_rows n WHERE n.day IN (SELECT day FROM days)
  ), latest AS (
    -- Per period the winner is the highest (collected_at, id): the max of an array compares
    -- element by element, so the winner's values ride along.
    SELECT s.product_code, s.edition, s.license_model, s.day, s.period_start,
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
  ), changed AS (
    SELECT * FROM fresh_daily UNION ALL SELECT * FROM daily
  ), latest_day AS (
  -- The newest day per key moves forward only (a day's rollup never disappears but with Delete data).
  INSERT INTO usage_latest (customer_id, license_server_id, product_code, edition, license_model, day,
                            installed, in_use, last_period_start, last_installed, last_in_use)
  SELECT DISTINCT ON (product_code, edition, license_model)
         $1::uuid, license_server_id, product_code, edition, license_model, day,
         installed, in_use, last_period_start, last_installed, last_in_use
  FROM changed ORDER BY product_code, edition, license_model, day DESC
  ON CONFLICT (license_server_id, product_code, edition, license_model) DO UPDATE SET
    day = EXCLUDED.day, installed = EXCLUDED.installed, in_use = EXCLUDED.in_use,
    last_period_start = EXCLUDED.last_period_start, last_installed = EXCLUDED.last_installed,
    last_in_use = EXCLUDED.last_in_use
  WHERE usage_latest.day <= EXCLUDED.day
  )`;

/** Stored records as `new_rows` expects them (`r`: a usage_records row, or the RETURNING of an insert). */
export const NEW_ROW_COLUMNS = `
  r.product_code COLLATE "C" AS product_code, r.edition COLLATE "C" AS edition,
  r.license_model COLLATE "C" AS license_model, r.period_start, (r.period_start AT TIME ZONE 'UTC')::date AS day,
  r.installed, r.in_use, r.peak_in_use, r.collected_at, r.id`;

type Tx = Pick<Db, '$executeRaw' | '$queryRawUnsafe'>;

/**
 * Delete data's last step, run after resetLastUpload has locked the server row (so uploads of
 * the server in flight have committed, and new ones wait at their lock of that row until
 * this commits): the server's rollups are dropped and rebuilt from the records that remain
 * (those of reports accepted while the delete ran): rollupCtes with every remaining record as
 * the new rows and none before them is exact on empty rollups. Done last rather than first so
 * that uploads during the delete never wait on rollup rows it deleted.
 */
export async function rebuildRollups(tx: Tx, customerId: string, licenseServerId: string) {
  await tx.$executeRaw`DELETE FROM usage_daily WHERE license_server_id = ${licenseServerId}::uuid`;
  await tx.$executeRaw`DELETE FROM usage_latest WHERE license_server_id = ${licenseServerId}::uuid`;
  await tx.$queryRawUnsafe(
    `WITH new_rows AS MATERIALIZED (SELECT ${NEW_ROW_COLUMNS} FROM usage_records r WHERE r.license_server_id = $2::uuid),
     ${rollupCtes('(SELECT * FROM usage_records LIMIT 0)')}
     SELECT 1`,
    customerId,
    licenseServerId,
  );
}
