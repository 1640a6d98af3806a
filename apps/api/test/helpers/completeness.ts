import type { Db } from '@reg/db/client';

/**
 * Completeness as it was read before ADR 015's rollup, straight from the raw data: the reference
 * the rollup's reads are checked against. `tag` '' is the whole customer, else the servers whose
 * active registration carries it.
 */

const MEMBERS = `
  SELECT ls.id FROM license_servers ls WHERE ls.customer_id = $1::uuid
    AND ($2::text = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.license_server_id = ls.id
                                  AND r.removed_at IS NULL AND NOT r.pending_approval AND $2::text = ANY (r.tags)))`;

/** Per day: the servers with a registration covering it (the day begun by `now`) or a record; those with a record. */
export const coverageFromRaw = (db: Db, customerId: string, tag: string, from: string, to: string, now: Date) =>
  db.$queryRawUnsafe<{ day: string; registered: number; reported: number }[]>(
    `
    WITH days AS (
      SELECT d::date AS day FROM generate_series($3::date, $4::date, interval '1 day') d
    ), reported AS (
      SELECT DISTINCT license_server_id, day FROM usage_daily
      WHERE customer_id = $1::uuid AND day >= $3::date AND day <= $4::date AND license_server_id IN (${MEMBERS})
    ), registered AS (
      SELECT DISTINCT r.license_server_id, days.day
      FROM registrations r JOIN days
        ON r.registered_at < (days.day + 1)::timestamp AT TIME ZONE 'UTC'
       AND days.day::timestamp AT TIME ZONE 'UTC' <= $5::timestamptz
       AND (r.removed_at IS NULL OR r.removed_at >= days.day::timestamp AT TIME ZONE 'UTC')
      WHERE r.customer_id = $1::uuid AND r.license_server_id IN (${MEMBERS})
    ), counted AS (
      SELECT license_server_id, day FROM registered UNION SELECT license_server_id, day FROM reported
    )
    SELECT to_char(days.day, 'YYYY-MM-DD') AS day, count(c.license_server_id)::int AS registered,
           count(rep.license_server_id)::int AS reported
    FROM days
    LEFT JOIN counted c ON c.day = days.day
    LEFT JOIN reported rep ON rep.day = c.day AND rep.license_server_id = c.license_server_id
    GROUP BY days.day ORDER BY days.day`,
    customerId,
    tag,
    from,
    to,
    now,
  );

/** "product code|day" of the (key, day) pairs where some server's first receipt came after the next day, sorted. */
export async function lateFromRaw(db: Db, customerId: string, tag: string, from: string, to: string) {
  const rows = await db.$queryRawUnsafe<{ key: string }[]>(
    `
    SELECT DISTINCT product_code || '|' || to_char(day, 'YYYY-MM-DD') AS key
    FROM (SELECT r.license_server_id, r.product_code, (r.period_start AT TIME ZONE 'UTC')::date AS day,
                 min(rep.received_at) AS first_received
          FROM usage_records r JOIN usage_reports rep ON rep.id = r.usage_report_id
          WHERE r.customer_id = $1::uuid AND r.license_server_id IN (${MEMBERS})
          GROUP BY 1, 2, 3) firsts
    WHERE first_received >= (day + 2)::timestamp AT TIME ZONE 'UTC' AND day >= $3::date AND day <= $4::date
    ORDER BY 1`,
    customerId,
    tag,
    from,
    to,
  );
  return rows.map((row) => row.key);
}
