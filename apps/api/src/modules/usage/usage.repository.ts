import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import { poolOf, type Db } from '@reg/db/client';
import type { RegistrationRow } from '../registrations/registrations.service.ts';
import { quotedElement } from '../../lib/pg-arrays.ts';
import type { Query } from '../../lib/query.ts';
import { enqueueOverdrafts } from '../notifications/notifications.repository.ts';
import { ROLLUP_CTES, rollupValues } from '../usage-insights/usage-rollups.repository.ts';
import { reportHash, sameReport } from './report-hash.ts';

/**
 * Locks the live registration and its license server before anything is read: uploads of a
 * server and its removal take turns on the registration row, uploads and Delete data on the
 * server row, and the next statement's snapshot (READ COMMITTED) holds every upload of the
 * server that committed before. No row: the registration was removed.
 */
const LOCK_LIVE = `
  SELECT r.id FROM registrations r JOIN license_servers s ON s.id = r.license_server_id
  WHERE r.id = $1::uuid AND r.removed_at IS NULL FOR NO KEY UPDATE`;

/**
 * A report in one statement, run under LOCK_LIVE: the report row (ON CONFLICT: the reportId is
 * taken, nothing else is stored), its records, the contact times, and the daily rollups of the
 * days it touched (ROLLUP_CTES, usage-rollups.repository.ts). The records come as PostgreSQL
 * array literals, one per column (recordColumns): parsing them costs PostgreSQL less than half
 * of json_to_recordset. Run on node-postgres directly: through Prisma, its handling of the
 * 100 KB+ parameters cost more than the rest of the request.
 * $1 customer, $2 server, $3 registration, $4 reportId, $5 report hash (report-hash.ts),
 * $6 collectedAt, $7 now, $8 record count, $9 product version, $10-$17 the record columns,
 * $18-$31 rollupValues.
 */
const INSERT_REPORT = `
  WITH report AS (
    INSERT INTO usage_reports (id, customer_id, license_server_id, registration_id, report_id, body_hash, collected_at, received_at, record_count)
    VALUES (gen_random_uuid(), $1::uuid, $2::uuid, $3::uuid, $4::uuid, $5, $6::timestamptz, $7::timestamptz, $8::int)
    ON CONFLICT (license_server_id, report_id) DO NOTHING
    RETURNING id
  ), records AS (
    INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                               license_model, installed, in_use, peak_in_use, collected_at)
    SELECT $1::uuid, $2::uuid, report.id, u.*, $6::timestamptz
    FROM report, unnest($10::timestamptz[], $11::timestamptz[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[], $17::int[]) AS u
    RETURNING product_code, edition, license_model, period_start, installed, in_use, peak_in_use, collected_at, id
  ), contact AS (
    UPDATE registrations SET last_contact_at = $7::timestamptz, product_version = $9 WHERE id = $3::uuid
  ), upload AS (
    UPDATE license_servers SET last_upload_at = $7::timestamptz WHERE id = $2::uuid AND EXISTS (SELECT 1 FROM report)
  ), ${ROLLUP_CTES}
  SELECT EXISTS (SELECT 1 FROM report) AS stored`;

const REPORT_HASH = `SELECT body_hash FROM usage_reports WHERE license_server_id = $1::uuid AND report_id = $2::uuid`;

interface NewReport {
  registration: RegistrationRow;
  report: TUsageReport;
  now: Date;
}

/** The outcome of storeReport: stored, the same report again, or a different one with its id. */
type StoreOutcome = 'stored' | 'removed' | 'duplicate' | 'conflict';

/**
 * A time as stored: UTC, to the millisecond, in Date.toISOString's form (what License Servers
 * send is already in it). Other forms (an offset, digits past the millisecond) are converted
 * here, so that the API's day of a record (rollupValues) is the database's.
 */
const utc = (time: string) =>
  time.length === 24 && time.endsWith('Z') ? time : new Date(Date.parse(time)).toISOString();

/**
 * The records as one array literal per column of INSERT_REPORT ($10-$17), in one pass, and
 * each record's periodStart as stored. Timestamps (UTC ISO 8601), counts and the license
 * model (an enum) need no quoting; product codes and editions are quoted (quotedElement).
 */
function recordColumns(records: readonly TUsageRecord[]) {
  const starts: string[] = [];
  const columns = ['{', '{', '{', '{', '{', '{', '{', '{'];
  records.forEach((record, i) => {
    const start = utc(record.periodStart);
    starts.push(start);
    const comma = i ? ',' : '';
    columns[0] += comma + start;
    columns[1] += comma + utc(record.periodEnd);
    columns[2] += comma + quotedElement(record.productCode);
    columns[3] += comma + quotedElement(record.edition);
    columns[4] += comma + record.licenseModel;
    columns[5] += comma + record.installed;
    columns[6] += comma + record.inUse;
    columns[7] += comma + record.peakInUse;
  });
  return { columns: columns.map((column) => `${column}}`), starts };
}

/** INSERT_REPORT's values for a report, and its record columns (which its hash is made of). */
function insertValues({ registration, report, now }: NewReport) {
  const { columns, starts } = recordColumns(report.records);
  const values = [
    registration.customerId,
    registration.licenseServerId,
    registration.id,
    report.reportId,
    reportHash(report, columns),
    report.collectedAt,
    now.toISOString(),
    report.records.length,
    report.server.productVersion,
    ...columns,
    ...rollupValues(report.records, starts),
  ];
  return { values, columns };
}

/**
 * Runs inside a transaction (the caller's): the report, stored once, and a usage.overdraft
 * event per product key newly in overdraft (written with it, so they commit together).
 */
async function storeReport(
  query: Query,
  { registration, report, now }: NewReport,
  { values, columns }: ReturnType<typeof insertValues>,
): Promise<StoreOutcome> {
  if (!(await query('lock-live', LOCK_LIVE, [registration.id])).length) return 'removed';
  const [row] = await query<{ stored: boolean }>('insert-report', INSERT_REPORT, values);
  if (row?.stored) {
    await enqueueOverdrafts(query, registration, report.records, now);
    return 'stored';
  }
  // Taken: a concurrent duplicate has committed by now (it held the lock), so it is seen here.
  const [existing] = await query<{ body_hash: string }>('report-hash', REPORT_HASH, [
    registration.licenseServerId,
    report.reportId,
  ]);
  return existing && sameReport(existing.body_hash, report, columns) ? 'duplicate' : 'conflict';
}

export function createUsageRepository(db: Db) {
  // Uploads are a hot path: node-postgres directly, named (prepared) statements.
  const pool = poolOf(db);

  /** storeReport in a transaction of its own on a pool connection, committed unless the outcome is an error. */
  async function storeInTransaction(input: NewReport): Promise<StoreOutcome> {
    // Built before a connection and the lock are taken: the uploads of one server wait for
    // each other only while they are in the database.
    const prepared = insertValues(input);
    const client = await pool.connect();
    const query: Query = async <T>(name: string, text: string, values: unknown[]) =>
      (await client.query({ name, text, values })).rows as T[];
    try {
      await client.query('BEGIN');
      const outcome = await storeReport(query, input, prepared);
      await client.query(outcome === 'stored' || outcome === 'duplicate' ? 'COMMIT' : 'ROLLBACK');
      client.release();
      return outcome;
    } catch (error) {
      // A connection that can't even roll back is dropped, not returned to the pool.
      const broken = await client.query('ROLLBACK').then(
        () => false,
        () => true,
      );
      client.release(broken);
      throw error;
    }
  }

  async function ensurePartitions(from: Date, to: Date): Promise<void> {
    await db.$queryRaw`SELECT ensure_usage_partitions(${from}::date, ${to}::date)`;
  }

  return { storeInTransaction, ensurePartitions };
}
