import type pg from 'pg';

/** A usage record as both the bench's fixtures and the License Server's sample generator build it. */
interface UsageRecord {
  periodStart: string;
  periodEnd: string;
  productCode: string;
  edition: string;
  licenseModel: string;
  installed: number;
  inUse: number;
  peakInUse: number;
}

/**
 * The reference of the ingestion figures: the same rows written as plain bulk inserts, many a
 * statement through unnest, with no rollup kept. Written here and not through the API's
 * repositories because it is what the API is measured against, not part of it.
 */
const PLAIN_INSERT = `
  INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                             license_model, installed, in_use, peak_in_use, collected_at)
  SELECT $1::uuid, $2::uuid, gen_random_uuid(), u.*, now()
  FROM unnest($3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::int[], $9::int[], $10::int[]) AS u`;

type RecordColumns = ReturnType<typeof recordColumns>;

/** Records as the statement's arrays, one a column (a caller sending the same rows again builds them once). */
export const recordColumns = (records: UsageRecord[]) => [
  records.map((r) => r.periodStart),
  records.map((r) => r.periodEnd),
  records.map((r) => r.productCode),
  records.map((r) => r.edition),
  records.map((r) => r.licenseModel),
  records.map((r) => r.installed),
  records.map((r) => r.inUse),
  records.map((r) => r.peakInUse),
];

/** One statement: every row of `columns` for the server, each with a report id of its own. */
export const insertPlainly = (client: pg.ClientBase, customerId: string, serverId: string, columns: RecordColumns) =>
  client.query(PLAIN_INSERT, [customerId, serverId, ...columns]);
