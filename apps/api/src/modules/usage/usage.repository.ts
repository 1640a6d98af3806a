import type { TUsageReport } from '@reg/contracts/usage-api';
import { poolOf, type Db } from '@reg/db/client';
import type { RegistrationRow } from '../registrations/registrations.service.ts';

/**
 * A new report in one statement (its own transaction): lock the live registration, insert the
 * report row (ON CONFLICT: the reportId is taken), the records (from JSON, in PostgreSQL), and
 * the contact times. All CTEs of a statement share one snapshot, so a reportId already taken
 * can't be told duplicate from conflict here: that (rare) case goes to the transaction in
 * ingestAgain. Run on node-postgres directly: through Prisma, its handling of the 100 KB+
 * JSON parameter cost more than the rest of the request.
 */
const INSERT_NEW_REPORT = `
  WITH live AS (
    SELECT id FROM registrations WHERE id = $1::uuid AND removed_at IS NULL FOR NO KEY UPDATE
  ), report AS (
    INSERT INTO usage_reports (id, customer_id, license_server_id, registration_id, report_id, body_hash, collected_at, received_at, record_count)
    SELECT gen_random_uuid(), $2::uuid, $3::uuid, live.id, $4::uuid, $5, $6::timestamptz, $7::timestamptz, $8::int FROM live
    ON CONFLICT (license_server_id, report_id) DO NOTHING
    RETURNING id
  ), records AS (
    INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                               license_model, installed, in_use, peak_in_use, collected_at)
    SELECT $2::uuid, $3::uuid, report.id, r."periodStart", r."periodEnd", r."productCode", r.edition, r."licenseModel",
           r.installed, r."inUse", r."peakInUse", $6::timestamptz
    FROM report, json_to_recordset($9::json) AS r("periodStart" timestamptz, "periodEnd" timestamptz, "productCode" text,
         edition text, "licenseModel" text, installed int, "inUse" int, "peakInUse" int)
  ), contact AS (
    UPDATE registrations SET last_contact_at = $7::timestamptz, product_version = $10
    WHERE id IN (SELECT id FROM live) AND EXISTS (SELECT 1 FROM report)
  ), upload AS (
    UPDATE license_servers SET last_upload_at = $7::timestamptz WHERE id = $3::uuid AND EXISTS (SELECT 1 FROM report)
  )
  SELECT EXISTS (SELECT 1 FROM live) AS live, EXISTS (SELECT 1 FROM report) AS stored`;

type Tx = Pick<Db, '$executeRaw' | '$queryRaw' | 'usageReport'>;

export interface NewReport {
  registration: RegistrationRow;
  report: TUsageReport;
  /** The records as JSON, keys in schema order. */
  records: string;
  bodyHash: string;
  now: Date;
}

export function createUsageRepository(db: Db) {
  // Uploads are a hot path: node-postgres directly, a named (prepared) statement.
  const pool = poolOf(db);

  /** INSERT_NEW_REPORT: whether the registration is live, and whether the report was stored. */
  async function insertNewReport({ registration, report, records, bodyHash, now }: NewReport) {
    const { rows } = await pool.query<{ live: boolean; stored: boolean }>({
      name: 'insert-new-report',
      text: INSERT_NEW_REPORT,
      values: [
        registration.id,
        registration.customerId,
        registration.licenseServerId,
        report.reportId,
        bodyHash,
        report.collectedAt,
        now.toISOString(),
        report.records.length,
        records,
        report.server.productVersion,
      ],
    });
    return rows[0];
  }

  /** Locks the registration while it is live (uploads and a removal take turns); false once removed. */
  async function lockLiveRegistration(tx: Tx, registrationId: string): Promise<boolean> {
    const live = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM registrations WHERE id = ${registrationId}::uuid AND removed_at IS NULL FOR NO KEY UPDATE`;
    return live.length > 0;
  }

  /** The report row, or null when its reportId is taken (ON CONFLICT). */
  async function insertReportRow(tx: Tx, { registration, report, bodyHash, now }: Omit<NewReport, 'records'>) {
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO usage_reports (id, customer_id, license_server_id, registration_id, report_id, body_hash, collected_at, received_at, record_count)
      VALUES (gen_random_uuid(), ${registration.customerId}::uuid, ${registration.licenseServerId}::uuid, ${registration.id}::uuid,
              ${report.reportId}::uuid, ${bodyHash}, ${new Date(report.collectedAt)}, ${now}, ${report.records.length})
      ON CONFLICT (license_server_id, report_id) DO NOTHING RETURNING id`;
    return inserted[0] ?? null;
  }

  function findReport(tx: Tx, licenseServerId: string, reportId: string) {
    return tx.usageReport.findUniqueOrThrow({ where: { licenseServerId_reportId: { licenseServerId, reportId } } });
  }

  /** One statement for all rows: unnest turns the column arrays back into rows. */
  async function insertRecords(tx: Tx, registration: RegistrationRow, reportRowId: string, report: TUsageReport) {
    const r = report.records;
    await tx.$executeRaw`
      INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                                 license_model, installed, in_use, peak_in_use, collected_at)
      SELECT ${registration.customerId}::uuid, ${registration.licenseServerId}::uuid, ${reportRowId}::uuid, u.*, ${new Date(report.collectedAt)}
      FROM unnest(${r.map((x) => x.periodStart)}::timestamptz[], ${r.map((x) => x.periodEnd)}::timestamptz[],
                  ${r.map((x) => x.productCode)}::text[], ${r.map((x) => x.edition)}::text[], ${r.map((x) => x.licenseModel)}::text[],
                  ${r.map((x) => x.installed)}::int[], ${r.map((x) => x.inUse)}::int[], ${r.map((x) => x.peakInUse)}::int[]) AS u`;
  }

  /** An upload counts as contact and carries the product's current version; a stored one is the last upload. */
  async function touch(tx: Tx, registration: RegistrationRow, productVersion: string, now: Date, stored: boolean) {
    await tx.$executeRaw`
      UPDATE registrations SET last_contact_at = ${now}, product_version = ${productVersion}
      WHERE id = ${registration.id}::uuid`;
    if (stored)
      await tx.$executeRaw`UPDATE license_servers SET last_upload_at = ${now} WHERE id = ${registration.licenseServerId}::uuid`;
  }

  async function ensurePartitions(from: Date, to: Date): Promise<void> {
    await db.$queryRaw`SELECT ensure_usage_partitions(${from}::date, ${to}::date)`;
  }

  return { insertNewReport, lockLiveRegistration, insertReportRow, findReport, insertRecords, touch, ensurePartitions };
}
