import type { Tx } from '../../lib/tx.ts';
import type { RollupValues } from './usage-rollups.ts';
import { serverContributionDeltas } from './usage-customer-rollup.repository.ts';

/**
 * The daily rollups (tables usage_daily and usage_latest, docs/usage-insights.md) are written only here.
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

/** The placeholders rollupCtes uses: the upload statement's customer and server, and rollupValues. */
type RollupParams = { readonly [Name in 'customer' | 'server' | 'now' | keyof RollupValues]: string };

/**
 * CTEs of the upload statement (usage.repository.ts, after its CTEs `report` and `records`,
 * the RETURNING of its records insert) that bring the rollups up to date. Two cases, both exact:
 * - A (product key, day) where none of the upload's periods had a record before (of any key,
 *   in the upload's span) nor is twice in it: a new period can only raise the day's highest
 *   values and can only be the day's newest period, so a GREATEST upsert with the upload's own
 *   values (rollupValues) is the recomputation's result. The common case: a License Server
 *   reports each period once.
 * - Other days: the later-collected record may lower the day, so the day is recomputed from
 *   its records (those stored before, and the upload's): per period the record with the latest
 *   collected_at (then the highest id: the later insert) wins, then the day's highest values,
 *   and the newest period's values.
 * Its parameters are named (RollupParams): the customer, the server, the groups of rollupValues,
 * and the upload's first and last periodStart (as parameters they let PostgreSQL skip the other
 * monthly partitions when the statement starts). Keys are grouped in byte order (COLLATE "C":
 * the same groups): sorting them by the locale cost more than the rest of the statement.
 */
export const rollupCtes = (p: RollupParams) => {
  // A day's row is late when it is created on or after the day after next (UTC), by the
  // upload's receipt time; a later correction (ON CONFLICT) keeps what the first receipt said.
  const LATE = (day: string) => `${p.now}::timestamptz >= ((${day} + 2)::timestamp AT TIME ZONE 'UTC')`;
  return `
  groups AS MATERIALIZED (
    SELECT g.* FROM unnest(${p.groupProductCodes}::text[], ${p.groupEditions}::text[], ${p.groupLicenseModels}::text[],
                           ${p.groupDays}::date[], ${p.groupFirstPeriods}::timestamptz[], ${p.groupLastPeriods}::timestamptz[],
                           ${p.groupInstalled}::int[], ${p.groupInUse}::int[], ${p.groupPeakInUse}::int[],
                           ${p.groupLastInstalled}::int[], ${p.groupLastInUse}::int[], ${p.groupTwice}::bool[])
      AS g(product_code, edition, license_model, day, first_period, last_period, installed, in_use, peak_in_use,
           last_installed, last_in_use, twice)
    WHERE EXISTS (SELECT 1 FROM report)
  ), stored AS MATERIALIZED (
    -- The periods of the upload's span that held a record before (of any key): one index range
    -- scan (this statement's own records are not in its snapshot).
    SELECT DISTINCT r.period_start FROM usage_records r
    WHERE r.license_server_id = ${p.server}::uuid
      AND r.period_start >= ${p.spanFrom}::timestamptz AND r.period_start <= ${p.spanTo}::timestamptz
  ), touched AS MATERIALIZED (
    -- The days to recompute.
    SELECT g.product_code, g.edition, g.license_model, g.day FROM groups g
    WHERE g.twice OR EXISTS (SELECT 1 FROM stored s WHERE s.period_start BETWEEN g.first_period AND g.last_period)
  ), fresh_daily AS (
  INSERT INTO usage_daily AS d (customer_id, license_server_id, product_code, edition, license_model, day,
                                installed, in_use, peak_in_use, last_period_start, last_installed, last_in_use, late)
  SELECT ${p.customer}::uuid, ${p.server}::uuid, product_code, edition, license_model, day, installed, in_use, peak_in_use,
         last_period, last_installed, last_in_use, ${LATE('day')}
  FROM groups g
  WHERE NOT EXISTS (SELECT 1 FROM touched t WHERE (t.product_code, t.edition, t.license_model, t.day)
                                                  = (g.product_code, g.edition, g.license_model, g.day))
  ON CONFLICT (license_server_id, product_code, edition, license_model, day) DO UPDATE SET
    installed = GREATEST(d.installed, EXCLUDED.installed), in_use = GREATEST(d.in_use, EXCLUDED.in_use),
    peak_in_use = GREATEST(d.peak_in_use, EXCLUDED.peak_in_use),
    last_period_start = GREATEST(d.last_period_start, EXCLUDED.last_period_start),
    last_installed = CASE WHEN EXCLUDED.last_period_start > d.last_period_start THEN EXCLUDED.last_installed ELSE d.last_installed END,
    last_in_use = CASE WHEN EXCLUDED.last_period_start > d.last_period_start THEN EXCLUDED.last_in_use ELSE d.last_in_use END
  RETURNING license_server_id, product_code, edition, license_model, day, installed, in_use, peak_in_use,
            last_period_start, last_installed, last_in_use, late
  ), days AS MATERIALIZED (
    SELECT DISTINCT day, (day::timestamp AT TIME ZONE 'UTC') AS day_start, ((day + 1)::timestamp AT TIME ZONE 'UTC') AS day_end
    FROM touched
  ), scanned AS MATERIALIZED (
    -- Per recomputed day one index range scan of the server's records stored before (the
    -- fences keep the planner from joining the whole history with the touched keys first;
    -- the bounds by the upload's span only let the partitions be skipped), and the upload's.
    SELECT d.day, u.*
    FROM days d
    CROSS JOIN LATERAL (
      SELECT r.product_code COLLATE "C" AS product_code, r.edition COLLATE "C" AS edition,
             r.license_model COLLATE "C" AS license_model, r.period_start, r.installed, r.in_use, r.peak_in_use,
             r.collected_at, r.id
      FROM usage_records r
      WHERE r.license_server_id = ${p.server}::uuid AND r.period_start >= d.day_start AND r.period_start < d.day_end
        AND r.period_start >= ${p.spanFrom}::timestamptz - interval '1 day' AND r.period_start < ${p.spanTo}::timestamptz + interval '1 day'
      OFFSET 0
    ) u
    UNION ALL
    SELECT d.day, n.product_code COLLATE "C", n.edition COLLATE "C", n.license_model COLLATE "C", n.period_start,
           n.installed, n.in_use, n.peak_in_use, n.collected_at, n.id
    FROM days d JOIN records n ON (n.period_start AT TIME ZONE 'UTC')::date = d.day
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
                           installed, in_use, peak_in_use, last_period_start, last_installed, last_in_use, late)
  SELECT ${p.customer}::uuid, ${p.server}::uuid, product_code, edition, license_model, day, installed, in_use, peak_in_use,
         to_timestamp(last[1] / 1000.0), last[2]::int, last[3]::int, ${LATE('day')}
  FROM per_day
  ON CONFLICT (license_server_id, product_code, edition, license_model, day) DO UPDATE SET
    installed = EXCLUDED.installed, in_use = EXCLUDED.in_use, peak_in_use = EXCLUDED.peak_in_use,
    last_period_start = EXCLUDED.last_period_start, last_installed = EXCLUDED.last_installed,
    last_in_use = EXCLUDED.last_in_use
  RETURNING license_server_id, product_code, edition, license_model, day, installed, in_use, peak_in_use,
            last_period_start, last_installed, last_in_use, late
  ), changed AS (
    SELECT * FROM fresh_daily UNION ALL SELECT * FROM daily
  ), latest_day AS (
  -- The newest day per key moves forward only (a day's rollup never disappears but with Delete data).
  INSERT INTO usage_latest (customer_id, license_server_id, product_code, edition, license_model, day,
                            installed, in_use, last_period_start, last_installed, last_in_use)
  SELECT DISTINCT ON (product_code COLLATE "C", edition COLLATE "C", license_model COLLATE "C")
         ${p.customer}::uuid, license_server_id, product_code, edition, license_model, day,
         installed, in_use, last_period_start, last_installed, last_in_use
  FROM changed ORDER BY product_code COLLATE "C", edition COLLATE "C", license_model COLLATE "C", day DESC
  ON CONFLICT (license_server_id, product_code, edition, license_model) DO UPDATE SET
    day = EXCLUDED.day, installed = EXCLUDED.installed, in_use = EXCLUDED.in_use,
    last_period_start = EXCLUDED.last_period_start, last_installed = EXCLUDED.last_installed,
    last_in_use = EXCLUDED.last_in_use
  WHERE usage_latest.day <= EXCLUDED.day
  )`;
};

/**
 * Delete data's last step, run after resetLastUpload has locked the server row (so uploads of
 * the server in flight have committed, and new ones wait at their lock of that row until
 * this commits): the server's rollups are dropped and recomputed from the records that remain
 * (those of reports accepted while the delete ran), by the rule itself, as the migration
 * that created the tables backfilled them. Done last rather than first so that uploads during
 * the delete never wait on rollup rows it deleted.
 */
export async function rebuildRollups(tx: Tx, customerId: string, licenseServerId: string) {
  // The customer's rollup loses the server's old points and gains the rebuilt ones (as deltas).
  await serverContributionDeltas(tx, licenseServerId, -1);
  await tx.$executeRaw`DELETE FROM usage_daily WHERE license_server_id = ${licenseServerId}::uuid`;
  await tx.$executeRaw`DELETE FROM usage_latest WHERE license_server_id = ${licenseServerId}::uuid`;
  await tx.$executeRaw`
    INSERT INTO usage_daily (customer_id, license_server_id, product_code, edition, license_model, day,
                             installed, in_use, peak_in_use, last_period_start, last_installed, last_in_use, late)
    SELECT ${customerId}::uuid, ${licenseServerId}::uuid, l.product_code, l.edition, l.license_model, l.day,
           max(l.installed), max(l.in_use), max(l.peak_in_use), max(l.period_start),
           (array_agg(l.installed ORDER BY l.period_start DESC))[1], (array_agg(l.in_use ORDER BY l.period_start DESC))[1],
           (SELECT min(rep.received_at) FROM usage_records r JOIN usage_reports rep ON rep.id = r.usage_report_id
            WHERE r.license_server_id = ${licenseServerId}::uuid AND r.product_code = l.product_code
              AND r.edition = l.edition AND r.license_model = l.license_model
              AND r.period_start >= (l.day::timestamp AT TIME ZONE 'UTC')
              AND r.period_start < ((l.day + 1)::timestamp AT TIME ZONE 'UTC'))
             >= ((l.day + 2)::timestamp AT TIME ZONE 'UTC')
    FROM (
      SELECT DISTINCT ON (product_code, edition, license_model, period_start)
             product_code, edition, license_model, period_start, (period_start AT TIME ZONE 'UTC')::date AS day,
             installed, in_use, peak_in_use
      FROM usage_records WHERE license_server_id = ${licenseServerId}::uuid
      ORDER BY product_code, edition, license_model, period_start, collected_at DESC, id DESC
    ) l
    GROUP BY l.product_code, l.edition, l.license_model, l.day`;
  await tx.$executeRaw`
    DELETE FROM usage_server_days WHERE customer_id = ${customerId}::uuid AND license_server_id = ${licenseServerId}::uuid`;
  await tx.$executeRaw`
    INSERT INTO usage_server_days (customer_id, license_server_id, day, registered)
    SELECT ${customerId}::uuid, ${licenseServerId}::uuid, day, usage_server_registered_on(${licenseServerId}::uuid, day)
    FROM (SELECT DISTINCT day FROM usage_daily WHERE license_server_id = ${licenseServerId}::uuid) d`;
  await tx.$executeRaw`
    INSERT INTO usage_latest (customer_id, license_server_id, product_code, edition, license_model, day,
                              installed, in_use, last_period_start, last_installed, last_in_use)
    SELECT DISTINCT ON (product_code, edition, license_model)
           customer_id, license_server_id, product_code, edition, license_model, day,
           installed, in_use, last_period_start, last_installed, last_in_use
    FROM usage_daily WHERE license_server_id = ${licenseServerId}::uuid
    ORDER BY product_code, edition, license_model, day DESC`;
  await serverContributionDeltas(tx, licenseServerId, 1);
}
