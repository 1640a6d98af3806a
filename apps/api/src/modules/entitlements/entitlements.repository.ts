import type { TLicenseDateField } from '@reg/contracts/events';
import { Prisma } from '@reg/db/client';
import type { Tx } from '../../lib/tx.ts';

/**
 * Entitlements (docs/protocol.md): what each license server holds, read from the rollups.
 *
 * A server holds a product key when it has an active registration and a record of the key for
 * a day of the last 30 (usage_latest.day, the key's newest day, is in the window). Its latest
 * record is the one usage_latest's values come from: the newest period, and of it the record
 * collected last. The dates are not in the rollups: they are read from that one record (an
 * index look-up on the server's records of that period, in one partition), so the upload's
 * statement and its rollups stay as they are.
 */

/** A held product key of a server, with its latest record's counts and dates. */
export interface HeldKey {
  customerId: string;
  licenseServerId: string;
  registrationId: string;
  serverName: string;
  hostname: string;
  productCode: string;
  edition: string;
  licenseModel: string;
  installed: number;
  inUse: number;
  periodStart: Date;
  expiresAt: string | null;
  maintenanceEndsAt: string | null;
}

/**
 * The held keys of one customer, or of every customer (the sweep: `customerId` null), and with
 * `dueBy` only those with a date on or before that day. Driven from the active registrations
 * (at most one per license server: registrations_one_active_per_instance), so one customer's
 * read uses its registrations' index and then usage_latest's primary key per server.
 */
const heldKeys = (tx: Tx, customerId: string | null, firstDay: string, dueBy: string | null) => tx.$queryRaw<HeldKey[]>`
  SELECT l.customer_id AS "customerId", l.license_server_id AS "licenseServerId", r.id AS "registrationId",
         r.server_name AS "serverName", r.hostname, l.product_code AS "productCode", l.edition,
         l.license_model AS "licenseModel", l.last_installed AS installed, l.last_in_use AS "inUse",
         l.last_period_start AS "periodStart",
         to_char(d.expires_at, 'YYYY-MM-DD') AS "expiresAt", to_char(d.maintenance_ends_at, 'YYYY-MM-DD') AS "maintenanceEndsAt"
  FROM registrations r
  JOIN usage_latest l ON l.license_server_id = r.license_server_id AND l.day >= ${firstDay}::date
  LEFT JOIN LATERAL (
    SELECT u.expires_at, u.maintenance_ends_at FROM usage_records u
    WHERE u.license_server_id = l.license_server_id AND u.period_start = l.last_period_start
      AND u.product_code = l.product_code AND u.edition = l.edition AND u.license_model = l.license_model
    ORDER BY u.collected_at DESC, u.id DESC LIMIT 1
  ) d ON true
  WHERE r.removed_at IS NULL ${customerId === null ? Prisma.empty : Prisma.sql`AND r.customer_id = ${customerId}::uuid`}
    ${dueBy === null ? Prisma.empty : Prisma.sql`AND (d.expires_at <= ${dueBy}::date OR d.maintenance_ends_at <= ${dueBy}::date)`}`;

export const customerHeldKeys = (tx: Tx, customerId: string, firstDay: string) =>
  heldKeys(tx, customerId, firstDay, null);

/** Per product key, the highest of the days' summed peaks over the servers with an active registration. */
export function peaks(tx: Tx, customerId: string, firstDay: string, today: string) {
  return tx.$queryRaw<{ productCode: string; edition: string; licenseModel: string; peak: number }[]>`
    SELECT product_code AS "productCode", edition, license_model AS "licenseModel", max(total)::int AS peak
    FROM (
      SELECT d.product_code, d.edition, d.license_model, d.day, sum(d.peak_in_use) AS total
      FROM usage_daily d
      WHERE d.customer_id = ${customerId}::uuid AND d.day >= ${firstDay}::date AND d.day <= ${today}::date
        AND EXISTS (SELECT 1 FROM registrations r WHERE r.license_server_id = d.license_server_id AND r.removed_at IS NULL)
      GROUP BY 1, 2, 3, 4
    ) per_day
    GROUP BY 1, 2, 3`;
}

/** Every held key of every customer with a date on or before `dueBy` (the sweep's expiry evaluation). */
export const heldKeysDueBy = (tx: Tx, firstDay: string, dueBy: string) => heldKeys(tx, null, firstDay, dueBy);

/** An expiry notice to claim: threshold 0 is licenses.expired. */
export interface ExpiryClaim {
  customerId: string;
  licenseServerId: string;
  productCode: string;
  edition: string;
  licenseModel: string;
  field: TLicenseDateField;
  date: string;
  threshold: number;
}

/**
 * The notices not claimed before, now claimed: the primary key is the "once". A sweep running
 * at the same time waits on the rows this one inserted, then finds them taken.
 */
export function claimExpiryNotices(tx: Tx, claims: ExpiryClaim[], now: Date) {
  return tx.$queryRaw<ExpiryClaim[]>`
    INSERT INTO license_expiry_notices (customer_id, license_server_id, product_code, edition, license_model, field, date,
                                        threshold, created_at)
    SELECT c."customerId", c."licenseServerId", c."productCode", c.edition, c."licenseModel", c.field, c.date, c.threshold, ${now}
    FROM json_to_recordset(${JSON.stringify(claims)}::json) AS c("customerId" uuid, "licenseServerId" uuid, "productCode" text,
         edition text, "licenseModel" text, field text, date date, threshold int)
    ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT DO NOTHING
    RETURNING customer_id AS "customerId", license_server_id AS "licenseServerId", product_code AS "productCode", edition,
              license_model AS "licenseModel", field, to_char(date, 'YYYY-MM-DD') AS date, threshold`;
}

/** A held key whose shortage state changed since it was last announced. */
type ShortageChange = HeldKey & { insufficient: boolean };

/**
 * Held keys whose shortage (latest inUse above installed) differs from what was last announced
 * (no row: sufficient), marked as announced. As the not-reporting sweep's claim: the upsert
 * writes only where the stored state still differs, so a second sweep at the same time waits
 * on the row, finds it changed and returns nothing.
 */
export function claimShortageChanges(tx: Tx, firstDay: string, now: Date) {
  return tx.$queryRaw<ShortageChange[]>`
    WITH held AS (
      SELECT l.customer_id, l.license_server_id, l.product_code, l.edition, l.license_model, l.last_installed,
             l.last_in_use, l.last_period_start, (l.last_in_use > l.last_installed) AS insufficient, r.id AS registration_id,
             r.server_name, r.hostname
      FROM registrations r
      JOIN usage_latest l ON l.license_server_id = r.license_server_id AND r.removed_at IS NULL
      LEFT JOIN license_shortage_states s
        ON s.customer_id = l.customer_id AND s.license_server_id = l.license_server_id AND s.product_code = l.product_code
       AND s.edition = l.edition AND s.license_model = l.license_model
      WHERE l.day >= ${firstDay}::date AND (l.last_in_use > l.last_installed) <> coalesce(s.insufficient, false)
    ), changed AS (
      INSERT INTO license_shortage_states (customer_id, license_server_id, product_code, edition, license_model, insufficient, changed_at)
      SELECT customer_id, license_server_id, product_code, edition, license_model, insufficient, ${now} FROM held
      ORDER BY 1, 2, 3, 4, 5
      ON CONFLICT (customer_id, license_server_id, product_code, edition, license_model) DO UPDATE
        SET insufficient = excluded.insufficient, changed_at = excluded.changed_at
        WHERE license_shortage_states.insufficient <> excluded.insufficient
      RETURNING customer_id, license_server_id, product_code, edition, license_model
    )
    SELECT h.customer_id AS "customerId", h.license_server_id AS "licenseServerId", h.registration_id AS "registrationId",
           h.server_name AS "serverName", h.hostname, h.product_code AS "productCode", h.edition,
           h.license_model AS "licenseModel", h.last_installed AS installed, h.last_in_use AS "inUse",
           h.last_period_start AS "periodStart", NULL::text AS "expiresAt", NULL::text AS "maintenanceEndsAt", h.insufficient
    FROM held h JOIN changed c USING (customer_id, license_server_id, product_code, edition, license_model)`;
}
