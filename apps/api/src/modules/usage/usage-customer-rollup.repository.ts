import type { Db } from '@reg/db/client';
import type { Tx } from '../../lib/tx.ts';

/**
 * The per-customer rollup (usage_customer_rollups, docs/decisions/011-customer-daily-rollup.md):
 * per customer, product key and day (and month), the sum over the customer's servers of their
 * points, so the overview reads one row per key and period whatever the fleet's size.
 *
 * Uploads of a customer's servers run side by side, and a customer's 1,000 servers report the
 * same day: if each upload updated the customer's row of that day, they would all queue on it
 * (and could deadlock across days). So an upload only APPENDS its change to
 * usage_customer_deltas (the server's new point minus its old one, and whether the server is
 * new to that day), an insert that waits on no other upload. foldDeltas moves the deltas into
 * the rollup in batches, from the notification sweep; readers add the deltas not folded yet in
 * the same statement (one snapshot: a fold's delete and upsert commit together), so what they
 * see is exact whether the fold has run or not.
 * Besides the sums they carry the overview's completeness counts: per key and day the servers
 * whose first receipt was late, and (granularity 'servers', key '') per day the servers that
 * reported and those of them no registration covered (docs/decisions/015-completeness-rollup.md).
 */

/** Placeholders of deltaCtes: the upload statement's customer, server and registration. */
type DeltaParams = { readonly [Name in 'customer' | 'server' | 'registration' | 'now']: string };

/**
 * CTEs appended to the upload statement after rollupCtes (usage-rollups.repository.ts), whose
 * `groups` (the upload's (key, day) pairs) and `changed` (the server's new rows of those days,
 * from RETURNING) they read. The server's rows as they were come from usage_daily itself: a
 * statement's CTEs all read the snapshot taken before its upserts, and the upload holds the
 * server's lock (ADR 007), so no other upload of the server changed them in between.
 * A month's point of a server is the highest of its days: the month's old and new highest are
 * taken over the server's days of that month (at most 31 rows per key).
 */
export const deltaCtes = (p: DeltaParams) => `
  , prior AS MATERIALIZED (
    SELECT d.product_code, d.edition, d.license_model, d.day, d.installed, d.in_use, d.peak_in_use
    FROM groups g JOIN usage_daily d
      ON d.license_server_id = ${p.server}::uuid AND d.product_code = g.product_code AND d.edition = g.edition
     AND d.license_model = g.license_model AND d.day = g.day
  ), months AS MATERIALIZED (
    SELECT DISTINCT product_code, edition, license_model, date_trunc('month', day)::date AS month FROM groups
  ), month_rows AS MATERIALIZED (
    SELECT m.month, d.product_code, d.edition, d.license_model, d.day, d.installed, d.in_use, d.peak_in_use
    FROM months m JOIN usage_daily d
      ON d.license_server_id = ${p.server}::uuid AND d.product_code = m.product_code AND d.edition = m.edition
     AND d.license_model = m.license_model AND d.day >= m.month AND d.day < (m.month + interval '1 month')::date
  ), month_before AS (
    SELECT month, product_code, edition, license_model,
           max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
    FROM month_rows GROUP BY 1, 2, 3, 4
  ), month_after AS (
    SELECT month, product_code, edition, license_model,
           max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
    FROM (
      SELECT r.month, r.product_code, r.edition, r.license_model, r.installed, r.in_use, r.peak_in_use
      FROM month_rows r
      WHERE NOT EXISTS (SELECT 1 FROM changed c WHERE (c.product_code, c.edition, c.license_model, c.day)
                                                      = (r.product_code, r.edition, r.license_model, r.day))
      UNION ALL
      SELECT date_trunc('month', c.day)::date, c.product_code, c.edition, c.license_model, c.installed, c.in_use, c.peak_in_use
      FROM changed c
    ) x GROUP BY 1, 2, 3, 4
  ), delta_tags AS MATERIALIZED (
    -- The whole customer (''), and each tag of the registration (locked by the upload: a tag
    -- change waits for it, and the trigger that moves the server between tags then sees it).
    SELECT '' AS tag
    UNION ALL
    SELECT unnest(r.tags) FROM registrations r
    WHERE r.id = ${p.registration}::uuid AND r.removed_at IS NULL AND NOT r.pending_approval
  ), server_days AS (
    -- The days the server reports for the first time (of any key), and whether one of its
    -- registrations covers each: coverage's counts (docs/decisions/015-completeness-rollup.md).
    INSERT INTO usage_server_days (customer_id, license_server_id, day, registered)
    SELECT ${p.customer}::uuid, ${p.server}::uuid, day, usage_server_registered_on(${p.server}::uuid, day)
    FROM (SELECT DISTINCT day FROM changed) c
    ON CONFLICT (customer_id, license_server_id, day) DO NOTHING
    RETURNING day, registered
  ), customer_deltas AS (
    INSERT INTO usage_customer_deltas (customer_id, tag, granularity, product_code, edition, license_model, period,
                                       installed, in_use, peak_in_use, servers, late, unregistered)
    SELECT ${p.customer}::uuid, t.tag, x.* FROM delta_tags t CROSS JOIN (
      SELECT 'day' AS granularity, c.product_code, c.edition, c.license_model, c.day AS period,
             c.installed - coalesce(b.installed, 0) AS installed, c.in_use - coalesce(b.in_use, 0) AS in_use,
             c.peak_in_use - coalesce(b.peak_in_use, 0) AS peak_in_use, CASE WHEN b.day IS NULL THEN 1 ELSE 0 END AS servers,
             CASE WHEN b.day IS NULL AND c.late THEN 1 ELSE 0 END AS late, 0 AS unregistered
      FROM changed c LEFT JOIN prior b USING (product_code, edition, license_model, day)
      UNION ALL
      SELECT 'month', a.product_code, a.edition, a.license_model, a.month,
             a.installed - coalesce(b.installed, 0), a.in_use - coalesce(b.in_use, 0),
             a.peak_in_use - coalesce(b.peak_in_use, 0), CASE WHEN b.month IS NULL THEN 1 ELSE 0 END, 0, 0
      FROM month_after a LEFT JOIN month_before b USING (month, product_code, edition, license_model)
      UNION ALL
      SELECT 'servers', '', '', '', s.day, 0, 0, 0, 1, 0, CASE WHEN s.registered THEN 0 ELSE 1 END
      FROM server_days s
    ) x
    WHERE x.installed <> 0 OR x.in_use <> 0 OR x.peak_in_use <> 0 OR x.servers <> 0
  )`;

/**
 * Delete data: the server's whole contribution leaves the rollup (sign -1, before its rows are
 * dropped) and what is rebuilt comes back (sign +1), both as deltas, under the server's lock.
 */
export async function serverContributionDeltas(tx: Tx, licenseServerId: string, sign: 1 | -1) {
  // The whole customer ('') and the tags of the server's active registration: the migration's
  // usage_move_server_tags, which the registrations trigger uses to move a server between tags.
  await tx.$executeRaw`
    SELECT usage_move_server_tags(${licenseServerId}::uuid, ARRAY['']::text[] || coalesce(
      (SELECT r.tags FROM registrations r
       WHERE r.license_server_id = ${licenseServerId}::uuid AND r.removed_at IS NULL AND NOT r.pending_approval
       LIMIT 1), ARRAY[]::text[]), ${sign}::int)`;
}

/** Only one fold at a time (two would wait on each other's rollup rows): a transaction-level lock. */
const FOLD_LOCK = 'usage_customer_rollups.fold';

/**
 * Folds up to `batch` of the oldest deltas into the rollup in one transaction (delete and
 * upsert commit together, so a reader sees each delta exactly once). Returns how many it
 * folded; 0 also when another fold holds the lock.
 */
export async function foldDeltaBatch(db: Db, batch: number): Promise<number> {
  return db.$transaction(async (tx) => {
    const [lock] = await tx.$queryRaw<
      { ok: boolean }[]
    >`SELECT pg_try_advisory_xact_lock(hashtext(${FOLD_LOCK})) AS ok`;
    if (!lock?.ok) return 0;
    const [folded] = await tx.$queryRaw<{ n: number }[]>`
      WITH batch AS (
        DELETE FROM usage_customer_deltas
        WHERE id IN (SELECT id FROM usage_customer_deltas ORDER BY id LIMIT ${batch})
        RETURNING customer_id, tag, granularity, product_code, edition, license_model, period, installed, in_use, peak_in_use,
                  servers, late, unregistered
      ), summed AS (
        SELECT customer_id, tag, granularity, product_code, edition, license_model, period,
               sum(installed) AS installed, sum(in_use) AS in_use, sum(peak_in_use) AS peak_in_use, sum(servers)::int AS servers,
               sum(late)::int AS late, sum(unregistered)::int AS unregistered, count(*) AS n
        FROM batch GROUP BY 1, 2, 3, 4, 5, 6, 7
      ), folded AS (
        INSERT INTO usage_customer_rollups AS r (customer_id, tag, granularity, product_code, edition, license_model, period,
                                                 installed, in_use, peak_in_use, servers, late, unregistered)
        SELECT customer_id, tag, granularity, product_code, edition, license_model, period, installed, in_use, peak_in_use,
               servers, late, unregistered
        FROM summed ORDER BY 1, 2, 3, 4, 5, 6, 7
        ON CONFLICT (customer_id, tag, granularity, product_code, edition, license_model, period) DO UPDATE SET
          installed = r.installed + EXCLUDED.installed, in_use = r.in_use + EXCLUDED.in_use,
          peak_in_use = r.peak_in_use + EXCLUDED.peak_in_use, servers = r.servers + EXCLUDED.servers,
          late = r.late + EXCLUDED.late, unregistered = r.unregistered + EXCLUDED.unregistered
      )
      SELECT coalesce(sum(n), 0)::int AS n FROM summed`;
    return folded?.n ?? 0;
  });
}

/**
 * The rows of a customer's rollup of one granularity in a range of periods, with the deltas not
 * folded yet: a subquery for the reads below (its output is per key and period; a period whose
 * servers all left, after Delete data, has servers 0 and is not there).
 */
const customerPeriods = (customer: string, tag: string, granularity: string, range: string) => `
  SELECT product_code, edition, license_model, period, sum(installed) AS installed, sum(in_use) AS in_use,
         sum(peak_in_use) AS peak_in_use
  FROM (
    SELECT product_code, edition, license_model, period, installed, in_use, peak_in_use, servers
    FROM usage_customer_rollups
    WHERE customer_id = ${customer}::uuid AND tag = ${tag}::text AND granularity = '${granularity}' ${range}
    UNION ALL
    SELECT product_code, edition, license_model, period, installed, in_use, peak_in_use, servers
    FROM usage_customer_deltas
    WHERE customer_id = ${customer}::uuid AND tag = ${tag}::text AND granularity = '${granularity}' ${range}
  ) x
  GROUP BY product_code, edition, license_model, period
  HAVING sum(servers) > 0`;

/** Series of the whole customer ($4 '') or a tag ($4) by day or month: the rollup's rows of the range. */
export const customerSeriesSql = (granularity: 'day' | 'month') => `
  SELECT product_code, edition, license_model, to_char(period, 'YYYY-MM-DD') AS day,
         installed::int AS installed, in_use::int AS in_use, peak_in_use::int AS peak_in_use
  FROM (${customerPeriods('$1', '$4', granularity, `AND period >= date_trunc('${granularity}', $2::date)::date AND period <= $3::date`)}) p
  ORDER BY product_code, edition, license_model, period`;

/** usage_latest's rows of the servers whose active registration carries the tag $5. */
const TAGGED = `AND l.license_server_id IN (
  SELECT r.license_server_id FROM registrations r
  WHERE r.customer_id = $1::uuid AND r.removed_at IS NULL AND NOT r.pending_approval AND r.tags @> ARRAY[$5::text])`;

/**
 * The customer's summary (docs/usage-insights.md) from the day rollup: peaks over the range,
 * this month and all time; and the latest point, each server's latest day in the range summed.
 * That one can't come from sums: it reads usage_latest (a row per server and key), and for a
 * server whose newest day lies after the range, its latest day in the range by one index probe.
 * By tag, usage_latest's rows are those of the tagged servers (their active registration carries it).
 * $1 customer, $2 from, $3 to, $4 the current month's first day, $5 the tag ('' for the whole customer).
 */
export const customerSummarySql = (byTag: boolean) => `
  WITH daily AS (${customerPeriods('$1', '$5', 'day', '')}
  ), peaks AS (
    SELECT product_code, edition, license_model,
           max(ARRAY[peak_in_use, period - DATE '2000-01-01']) FILTER (WHERE period >= $2::date AND period <= $3::date) AS peak_at,
           coalesce(bool_or(peak_in_use > installed) FILTER (WHERE period >= $2::date AND period <= $3::date), false) AS overdraft,
           max(peak_in_use) FILTER (WHERE period >= $4::date)::int AS peak_this_month,
           max(peak_in_use)::int AS peak_all_time
    FROM daily GROUP BY product_code, edition, license_model
  ), latest AS (
    SELECT product_code, edition, license_model, sum(installed)::int AS installed, sum(in_use)::int AS in_use
    FROM (
      SELECT l.product_code, l.edition, l.license_model, l.installed, l.in_use
      FROM usage_latest l WHERE l.customer_id = $1::uuid AND l.day >= $2::date AND l.day <= $3::date ${byTag ? TAGGED : ''}
      UNION ALL
      SELECT l.product_code, l.edition, l.license_model, d.installed, d.in_use
      FROM usage_latest l
      CROSS JOIN LATERAL (
        SELECT installed, in_use FROM usage_daily d
        WHERE d.license_server_id = l.license_server_id AND d.product_code = l.product_code AND d.edition = l.edition
          AND d.license_model = l.license_model AND d.day >= $2::date AND d.day <= $3::date
        ORDER BY d.day DESC LIMIT 1
      ) d
      WHERE l.customer_id = $1::uuid AND l.day > $3::date ${byTag ? TAGGED : ''}
    ) per_server
    GROUP BY product_code, edition, license_model
  )
  SELECT l.product_code, l.edition, l.license_model, l.installed, l.in_use,
         p.peak_at[1]::int AS peak_in_use, to_char(DATE '2000-01-01' + p.peak_at[2]::int, 'YYYY-MM-DD') AS peak_day,
         p.peak_this_month, p.peak_all_time, p.overdraft
  FROM latest l JOIN peaks p USING (product_code, edition, license_model)
  WHERE p.peak_at IS NOT NULL
  ORDER BY l.product_code, l.edition, l.license_model`;
