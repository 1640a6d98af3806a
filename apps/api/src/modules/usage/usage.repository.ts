import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import { poolOf, type Db } from '@reg/db/client';
import type { RegistrationRow } from '../registrations/registrations.service.ts';
import { quotedElement } from '../../lib/pg-arrays.ts';
import type { Query } from '../../lib/query.ts';
import { sqlParams } from '../../lib/sql-params.ts';
import { deltaCtes } from './usage-customer-rollup.repository.ts';
import { rollupCtes } from './usage-rollups.repository.ts';
import { rollupValues } from './usage-rollups.ts';
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

/** The upload statement's parameters, by name (lib/sql-params.ts). */
const UPLOAD = sqlParams(
  'customer',
  'server',
  'registration',
  'reportId',
  'bodyHash',
  'collectedAt',
  'now',
  'recordCount',
  'productVersion',
  'periodStarts',
  'periodEnds',
  'productCodes',
  'editions',
  'licenseModels',
  'installed',
  'inUse',
  'peakInUse',
  'expiresAts',
  'maintenanceEndsAts',
  'groupProductCodes',
  'groupEditions',
  'groupLicenseModels',
  'groupDays',
  'groupFirstPeriods',
  'groupLastPeriods',
  'groupInstalled',
  'groupInUse',
  'groupPeakInUse',
  'groupLastInstalled',
  'groupLastInUse',
  'groupTwice',
  'spanFrom',
  'spanTo',
);
const p = UPLOAD.p;

/**
 * A report in one statement, run under LOCK_LIVE: the report row (ON CONFLICT: the reportId is
 * taken, nothing else is stored), its records, the contact times, and the daily rollups of the
 * days it touched (rollupCtes, usage-rollups.repository.ts). The records come as PostgreSQL
 * array literals, one per column (recordColumns): parsing them costs PostgreSQL less than half
 * of json_to_recordset. deltaCtes (usage-customer-rollup.repository.ts) appends the change of
 * the customer's rollup. Run on node-postgres directly: through Prisma, its handling of the
 * 100 KB+ parameters cost more than the rest of the request.
 */
const INSERT_REPORT = `
  WITH report AS (
    INSERT INTO usage_reports (id, customer_id, license_server_id, registration_id, report_id, body_hash, collected_at, received_at, record_count)
    VALUES (gen_random_uuid(), ${p.customer}::uuid, ${p.server}::uuid, ${p.registration}::uuid, ${p.reportId}::uuid, ${p.bodyHash},
            ${p.collectedAt}::timestamptz, ${p.now}::timestamptz, ${p.recordCount}::int)
    ON CONFLICT (license_server_id, report_id) DO NOTHING
    RETURNING id
  ), records AS (
    INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                               license_model, installed, in_use, peak_in_use, expires_at, maintenance_ends_at, collected_at)
    SELECT ${p.customer}::uuid, ${p.server}::uuid, report.id, u.*, ${p.collectedAt}::timestamptz
    FROM report, unnest(${p.periodStarts}::timestamptz[], ${p.periodEnds}::timestamptz[], ${p.productCodes}::text[],
                        ${p.editions}::text[], ${p.licenseModels}::text[], ${p.installed}::int[], ${p.inUse}::int[],
                        ${p.peakInUse}::int[], ${p.expiresAts}::date[], ${p.maintenanceEndsAts}::date[]) AS u
    RETURNING product_code, edition, license_model, period_start, installed, in_use, peak_in_use, collected_at, id
  ), contact AS (
    UPDATE registrations SET last_contact_at = ${p.now}::timestamptz, product_version = ${p.productVersion}
    WHERE id = ${p.registration}::uuid
  ), upload AS (
    UPDATE license_servers SET last_upload_at = ${p.now}::timestamptz WHERE id = ${p.server}::uuid AND EXISTS (SELECT 1 FROM report)
  ), ${rollupCtes(p)}${deltaCtes(p)}
  SELECT EXISTS (SELECT 1 FROM report) AS stored`;

const REPORT_HASH = `SELECT body_hash FROM usage_reports WHERE license_server_id = $1::uuid AND report_id = $2::uuid`;

/** How many product keys the server has usage of: usage_latest holds one row per server and key. */
const KEY_COUNT = `SELECT count(*)::int AS n FROM usage_latest WHERE license_server_id = $1::uuid`;
const KEYS = `SELECT product_code, edition, license_model FROM usage_latest WHERE license_server_id = $1::uuid`;

interface NewReport {
  registration: RegistrationRow;
  report: TUsageReport;
  now: Date;
  /** The report's distinct product keys (productKey), checked against maxKeysPerServer under the lock. */
  keys: ReadonlySet<string>;
  maxKeysPerServer: number;
}

/** One text per product key (NUL can't be in the texts: ZUsageRecord refuses it). */
export const productKey = (key: { productCode: string; edition: string; licenseModel: string }) =>
  `${key.productCode}\0${key.edition}\0${key.licenseModel}`;

/** The outcome of storeReport: stored, the same report again, or a different one with its id. */
type StoreOutcome = 'stored' | 'removed' | 'duplicate' | 'conflict' | 'too_many_keys';

/**
 * A time as stored: UTC, to the millisecond, in Date.toISOString's form (what License Servers
 * send is already in it). Other forms (an offset, digits past the millisecond) are converted
 * here, so that the API's day of a record (rollupValues) is the database's.
 */
const utc = (time: string) =>
  time.length === 24 && time.endsWith('Z') ? time : new Date(Date.parse(time)).toISOString();

/**
 * The records as one array literal per column of INSERT_REPORT, in one pass, and each
 * record's periodStart as stored. Timestamps (UTC ISO 8601), days, counts and the license model
 * (an enum) need no quoting; product codes and editions are quoted (quotedElement). The two
 * date columns come last, and only when a record carries a date: a report without any hashes
 * as it did before they existed (report-hash.ts), so its retry across an upgrade is a duplicate.
 * Without dates unnest pads them with NULL from empty arrays.
 */
function recordColumns(records: readonly TUsageRecord[]) {
  const starts: string[] = [];
  const columns = ['{', '{', '{', '{', '{', '{', '{', '{', '{', '{'];
  let dated = false;
  records.forEach((record, i) => {
    dated ||= Boolean(record.expiresAt || record.maintenanceEndsAt);
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
    columns[8] += comma + (record.expiresAt ?? 'NULL');
    columns[9] += comma + (record.maintenanceEndsAt ?? 'NULL');
  });
  const all = columns.map((column) => `${column}}`);
  return { columns: dated ? all : all.slice(0, 8), starts };
}

/** INSERT_REPORT's values for a report, and its record columns (which its hash is made of). */
function insertValues({ registration, report, now }: NewReport) {
  const { columns, starts } = recordColumns(report.records);
  const [periodStarts, periodEnds, productCodes, editions, licenseModels, installed, inUse, peakInUse] = columns;
  const [expiresAts = '{}', maintenanceEndsAts = '{}'] = columns.slice(8);
  const values = UPLOAD.values({
    customer: registration.customerId,
    server: registration.licenseServerId,
    registration: registration.id,
    reportId: report.reportId,
    bodyHash: reportHash(report, columns),
    collectedAt: report.collectedAt,
    now: now.toISOString(),
    recordCount: report.records.length,
    productVersion: report.server.productVersion,
    periodStarts,
    periodEnds,
    productCodes,
    editions,
    licenseModels,
    installed,
    inUse,
    peakInUse,
    expiresAts,
    maintenanceEndsAts,
    ...rollupValues(report.records, starts),
  });
  return { values, columns };
}

/**
 * Whether the server would have more than `max` product keys with this report: counted first
 * (one index-only count of at most a few hundred rows), and the keys compared only when the
 * count alone can't tell. Run under LOCK_LIVE, so uploads of the server can't race past it.
 */
async function tooManyKeys(query: Query, serverId: string, keys: ReadonlySet<string>, max: number) {
  const [count] = await query<{ n: number }>('usage-key-count', KEY_COUNT, [serverId]);
  if ((count?.n ?? 0) + keys.size <= max) return false;
  const stored = await query<{ product_code: string; edition: string; license_model: string }>('usage-keys', KEYS, [
    serverId,
  ]);
  const all = new Set(keys);
  for (const row of stored)
    all.add(productKey({ productCode: row.product_code, edition: row.edition, licenseModel: row.license_model }));
  return all.size > max;
}

/**
 * Runs inside a transaction (the caller's): the report, stored once, and then `afterStore`
 * on the same connection (the overdraft events: written with it, so they commit together).
 */
async function storeReport(
  query: Query,
  input: NewReport,
  { values, columns }: ReturnType<typeof insertValues>,
  afterStore: (query: Query) => Promise<void>,
): Promise<StoreOutcome> {
  const { registration, report } = input;
  if (!(await query('lock-live', LOCK_LIVE, [registration.id])).length) return 'removed';
  if (await tooManyKeys(query, registration.licenseServerId, input.keys, input.maxKeysPerServer))
    return 'too_many_keys';
  const [row] = await query<{ stored: boolean }>('insert-report', INSERT_REPORT, values);
  if (row?.stored) {
    await afterStore(query);
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
  async function storeInTransaction(
    input: NewReport,
    afterStore: (query: Query) => Promise<void>,
  ): Promise<StoreOutcome> {
    // Built before a connection and the lock are taken: the uploads of one server wait for
    // each other only while they are in the database.
    const prepared = insertValues(input);
    const client = await pool.connect();
    const query: Query = async <T>(name: string, text: string, values: unknown[]) =>
      (await client.query({ name, text, values })).rows as T[];
    try {
      await client.query('BEGIN');
      const outcome = await storeReport(query, input, prepared, afterStore);
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
