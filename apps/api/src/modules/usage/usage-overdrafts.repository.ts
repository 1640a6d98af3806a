import type { Query } from '../../lib/query.ts';
import { sqlParams } from '../../lib/sql-params.ts';

const { p, values } = sqlParams('server', 'records');

interface OverdraftRecord {
  productCode: string;
  edition: string;
  licenseModel: string;
  periodStart: string;
  installed: number;
  peakInUse: number;
}

/**
 * Product keys in overdraft on a day, not in overdraft the day before, and not yet announced
 * for that day: the notice's primary key is the "once per key per day". Both days are read
 * from the daily rollups (usage_daily), which this upload's statement has already brought up
 * to date: they hold the records that stand (per period the one collected last), so a record
 * a later report replaced neither raises an overdraft nor hides one. The upload's records
 * only say which (key, day) pairs to look at.
 */
const CLAIM_OVERDRAFTS = `
  WITH touched AS (
    SELECT DISTINCT r."productCode" AS product_code, r.edition, r."licenseModel" AS license_model,
           (r."periodStart" AT TIME ZONE 'UTC')::date AS day
    FROM json_to_recordset(${p.records}::json) AS r("productCode" text, edition text, "licenseModel" text, "periodStart" timestamptz)
  ), candidates AS (
    SELECT d.product_code, d.edition, d.license_model, d.day, d.installed, d.peak_in_use AS peak
    FROM touched t JOIN usage_daily d
      ON d.license_server_id = ${p.server}::uuid AND d.product_code = t.product_code AND d.edition = t.edition
     AND d.license_model = t.license_model AND d.day = t.day
    WHERE d.peak_in_use > d.installed
      AND NOT EXISTS (
        SELECT 1 FROM usage_daily b
        WHERE b.license_server_id = ${p.server}::uuid AND b.product_code = d.product_code AND b.edition = d.edition
          AND b.license_model = d.license_model AND b.day = d.day - 1 AND b.peak_in_use > b.installed)
  ), fresh AS (
    INSERT INTO usage_overdraft_notices (license_server_id, product_code, edition, license_model, day)
    SELECT ${p.server}::uuid, c.product_code, c.edition, c.license_model, c.day FROM candidates c
    ON CONFLICT DO NOTHING
    RETURNING product_code, edition, license_model, day
  )
  SELECT c.product_code AS "productCode", c.edition, c.license_model AS "licenseModel", to_char(c.day, 'YYYY-MM-DD') AS day,
         c.installed::int AS installed, c.peak::int AS "peakInUse"
  FROM candidates c JOIN fresh f USING (product_code, edition, license_model, day)
  ORDER BY c.day`;

/**
 * `records`: the upload's records of the notice window whose own peak is over; the day's
 * standing values decide (a record that is over may have been replaced, and a day is looked at
 * only when the upload brought a record over for it).
 */
export function claimOverdrafts(query: Query, licenseServerId: string, records: OverdraftRecord[]) {
  const overdrafts = records
    .filter((r) => r.peakInUse > r.installed)
    .map(({ productCode, edition, licenseModel, periodStart }) => ({
      productCode,
      edition,
      licenseModel,
      periodStart,
    }));
  return query<Omit<OverdraftRecord, 'periodStart'> & { day: string }>(
    'claim-overdrafts',
    CLAIM_OVERDRAFTS,
    values({ server: licenseServerId, records: JSON.stringify(overdrafts) }),
  );
}
