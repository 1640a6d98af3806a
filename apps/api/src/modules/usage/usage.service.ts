import { createHash } from 'node:crypto';
import type { TUsageAccepted, TUsageReport } from '@reg/contracts/usage-api';
import { poolOf, type Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueueOverdrafts } from '../notifications/notifications.repository.ts';
import type { RegistrationRow } from '../registrations/registrations.service.ts';

const DAY_MS = 24 * 3600_000;
const OLDEST_DAYS = 400;

/** Key order of the report schema (ZUsageReport): JSON.stringify with it writes any report as zod's output would. */
const REPORT_KEYS = ['reportId', 'collectedAt', 'server', 'productVersion', 'records'];
const RECORD_KEYS = [
  'periodStart',
  'periodEnd',
  'productCode',
  'edition',
  'licenseModel',
  'installed',
  'inUse',
  'peakInUse',
];

/** The records as JSON, keys in schema order: stored through json_to_recordset and part of the report's hash. */
const recordsJson = (report: TUsageReport) => JSON.stringify(report.records, RECORD_KEYS);

/** Same reportId and same parsed body: the hash of the validated body, keys in schema order. */
export const reportHash = (report: TUsageReport, records = recordsJson(report)) =>
  createHash('sha256')
    .update(JSON.stringify({ ...report, records: [] }, REPORT_KEYS).slice(0, -3))
    .update(records)
    .update('}')
    .digest('hex');

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

export function createUsageIngestion({ db, clock }: { db: Db; clock: Clock }) {
  const pool = poolOf(db);
  function checkTimes(report: TUsageReport, now: Date) {
    const oldest = now.getTime() - OLDEST_DAYS * DAY_MS;
    const newest = now.getTime() + DAY_MS;
    const details: { path: (string | number)[]; message: string }[] = [];
    const check = (value: string, path: (string | number)[]) => {
      const time = Date.parse(value);
      if (time < oldest || time > newest)
        details.push({ path, message: 'must be within the last 400 days and at most a day ahead' });
    };
    check(report.collectedAt, ['collectedAt']);
    report.records.forEach((record, i) => {
      check(record.periodStart, ['records', i, 'periodStart']);
      check(record.periodEnd, ['records', i, 'periodEnd']);
    });
    if (details.length) {
      throw new AppError('invalid_request', 'Some times are outside what can be reported; see details.', {
        details: details.slice(0, 20),
      });
    }
  }

  /**
   * Stores a report once. The report row is the idempotency key: a concurrent duplicate
   * waits on its unique index entry and then finds it. The registration row is locked first,
   * so a removal either waits for this upload to commit or this upload sees the removal
   * (and uploads of one server take turns, which also keeps them free of deadlocks).
   */
  async function ingest(
    registration: RegistrationRow,
    report: TUsageReport,
  ): Promise<{ status: 200 | 202; body: TUsageAccepted }> {
    const now = clock.now();
    checkTimes(report, now);
    const records = recordsJson(report);
    const bodyHash = reportHash(report, records);
    // A report with an overdraft (rare) takes the transaction, where its notification is written.
    if (report.records.some((r) => r.peakInUse > r.installed)) return ingestAgain(registration, report, bodyHash, now);
    // The common case, a new report: one statement (INSERT_NEW_REPORT).
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
    const outcome = rows[0];
    if (outcome?.stored)
      return { status: 202, body: { reportId: report.reportId, accepted: report.records.length, duplicate: false } };
    if (!outcome?.live)
      throw new AppError(
        'registration_removed',
        'This registration was removed; the cloud no longer collects usage from it.',
      );
    return ingestAgain(registration, report, bodyHash, now);
  }

  /** A report whose reportId is already stored (a retry, or a conflict), or the rare race the statement above can't settle. */
  async function ingestAgain(
    registration: RegistrationRow,
    report: TUsageReport,
    bodyHash: string,
    now: Date,
  ): Promise<{ status: 200 | 202; body: TUsageAccepted }> {
    const r = report.records;
    return db.$transaction(async (tx) => {
      const live = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM registrations WHERE id = ${registration.id}::uuid AND removed_at IS NULL FOR NO KEY UPDATE`;
      if (!live.length)
        throw new AppError(
          'registration_removed',
          'This registration was removed; the cloud no longer collects usage from it.',
        );
      const inserted = await tx.$queryRaw<{ id: string }[]>`
        INSERT INTO usage_reports (id, customer_id, license_server_id, registration_id, report_id, body_hash, collected_at, received_at, record_count)
        VALUES (gen_random_uuid(), ${registration.customerId}::uuid, ${registration.licenseServerId}::uuid, ${registration.id}::uuid,
                ${report.reportId}::uuid, ${bodyHash}, ${new Date(report.collectedAt)}, ${now}, ${r.length})
        ON CONFLICT (license_server_id, report_id) DO NOTHING RETURNING id`;
      const reportRow = inserted[0];
      if (!reportRow) {
        const existing = await tx.usageReport.findUniqueOrThrow({
          where: {
            licenseServerId_reportId: { licenseServerId: registration.licenseServerId, reportId: report.reportId },
          },
        });
        if (existing.bodyHash !== bodyHash) {
          throw new AppError(
            'report_conflict',
            'A different report was already sent with this reportId; use a new reportId for new data.',
          );
        }
        await touch(tx, registration, report, now, false);
        return { status: 200 as const, body: { reportId: report.reportId, accepted: 0, duplicate: true } };
      }
      // One statement for all rows: unnest turns the column arrays back into rows.
      await tx.$executeRaw`
        INSERT INTO usage_records (customer_id, license_server_id, usage_report_id, period_start, period_end, product_code, edition,
                                   license_model, installed, in_use, peak_in_use, collected_at)
        SELECT ${registration.customerId}::uuid, ${registration.licenseServerId}::uuid, ${reportRow.id}::uuid, u.*, ${new Date(report.collectedAt)}
        FROM unnest(${r.map((x) => x.periodStart)}::timestamptz[], ${r.map((x) => x.periodEnd)}::timestamptz[],
                    ${r.map((x) => x.productCode)}::text[], ${r.map((x) => x.edition)}::text[], ${r.map((x) => x.licenseModel)}::text[],
                    ${r.map((x) => x.installed)}::int[], ${r.map((x) => x.inUse)}::int[], ${r.map((x) => x.peakInUse)}::int[]) AS u`;
      await touch(tx, registration, report, now, true);
      await enqueueOverdrafts(tx, registration, r, now);
      return { status: 202 as const, body: { reportId: report.reportId, accepted: r.length, duplicate: false } };
    });
  }

  /** An upload counts as contact and carries the product's current version. */
  async function touch(
    tx: Pick<Db, '$executeRaw'>,
    registration: RegistrationRow,
    report: TUsageReport,
    now: Date,
    stored: boolean,
  ) {
    await tx.$executeRaw`
      UPDATE registrations SET last_contact_at = ${now}, product_version = ${report.server.productVersion}
      WHERE id = ${registration.id}::uuid`;
    if (stored)
      await tx.$executeRaw`UPDATE license_servers SET last_upload_at = ${now} WHERE id = ${registration.licenseServerId}::uuid`;
  }

  /** Monthly partitions for every month an upload may name: 400 days back to a day ahead, and a margin. */
  async function ensurePartitions(): Promise<void> {
    const now = clock.now().getTime();
    await db.$queryRaw`SELECT ensure_usage_partitions(${new Date(now - (OLDEST_DAYS + 31) * DAY_MS)}::date, ${new Date(now + 62 * DAY_MS)}::date)`;
  }

  return { ingest, ensurePartitions };
}

export type UsageIngestion = ReturnType<typeof createUsageIngestion>;
