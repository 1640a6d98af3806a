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
 * Product keys in overdraft on a day, not in overdraft the day before (from the records
 * stored so far, this report's included), and not yet announced for that day: the notice's
 * primary key is the "once per key per day".
 */
const CLAIM_OVERDRAFTS = `
  WITH candidates AS (
    SELECT r."productCode" AS product_code, r.edition, r."licenseModel" AS license_model,
           (r."periodStart" AT TIME ZONE 'UTC')::date AS day, max(r.installed) AS installed, max(r."peakInUse") AS peak
    FROM json_to_recordset(${p.records}::json) AS r("productCode" text, edition text, "licenseModel" text,
         "periodStart" timestamptz, installed int, "peakInUse" int)
    WHERE r."peakInUse" > r.installed
    GROUP BY 1, 2, 3, 4
  ), fresh AS (
    -- Per candidate one index range scan of the day before (LIMIT keeps the planner from
    -- turning it into an anti join over every record of the server in overdraft, ever).
    INSERT INTO usage_overdraft_notices (license_server_id, product_code, edition, license_model, day)
    SELECT ${p.server}::uuid, c.product_code, c.edition, c.license_model, c.day
    FROM candidates c
    CROSS JOIN LATERAL (
      SELECT count(*) AS n FROM (
        SELECT 1 FROM usage_records u
        WHERE u.license_server_id = ${p.server}::uuid
          AND u.period_start >= (c.day - 1)::timestamp AT TIME ZONE 'UTC' AND u.period_start < c.day::timestamp AT TIME ZONE 'UTC'
          AND u.product_code = c.product_code AND u.edition = c.edition AND u.license_model = c.license_model
          AND u.peak_in_use > u.installed
        LIMIT 1) found
    ) before
    WHERE before.n = 0
    ON CONFLICT DO NOTHING
    RETURNING product_code, edition, license_model, day
  )
  SELECT c.product_code AS "productCode", c.edition, c.license_model AS "licenseModel", to_char(c.day, 'YYYY-MM-DD') AS day,
         c.installed::int AS installed, c.peak::int AS "peakInUse"
  FROM candidates c JOIN fresh f USING (product_code, edition, license_model, day)
  ORDER BY c.day`;

export function claimOverdrafts(query: Query, licenseServerId: string, records: OverdraftRecord[]) {
  const overdrafts = records.filter((r) => r.peakInUse > r.installed);
  return query<Omit<OverdraftRecord, 'periodStart'> & { day: string }>(
    'claim-overdrafts',
    CLAIM_OVERDRAFTS,
    values({ server: licenseServerId, records: JSON.stringify(overdrafts) }),
  );
}
