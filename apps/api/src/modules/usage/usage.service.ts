import { createHash } from 'node:crypto';
import type { TUsageAccepted, TUsageReport } from '@reg/contracts/usage-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { enqueueOverdrafts } from '../notifications/notifications.repository.ts';
import type { RegistrationRow } from '../registrations/registrations.service.ts';
import { createUsageRepository } from './usage.repository.ts';

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

export function createUsageIngestion({ db, clock }: { db: Db; clock: Clock }) {
  const usage = createUsageRepository(db);
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
    // The common case, a new report: one statement (usage.repository.ts, INSERT_NEW_REPORT).
    const outcome = await usage.insertNewReport({ registration, report, records, bodyHash, now });
    if (outcome?.stored)
      return { status: 202, body: { reportId: report.reportId, accepted: report.records.length, duplicate: false } };
    if (!outcome?.live) throw removed();
    return ingestAgain(registration, report, bodyHash, now);
  }

  /** A report whose reportId is already stored (a retry, or a conflict), or the rare race the statement above can't settle. */
  async function ingestAgain(
    registration: RegistrationRow,
    report: TUsageReport,
    bodyHash: string,
    now: Date,
  ): Promise<{ status: 200 | 202; body: TUsageAccepted }> {
    return db.$transaction(async (tx) => {
      if (!(await usage.lockLiveRegistration(tx, registration.id))) throw removed();
      const reportRow = await usage.insertReportRow(tx, { registration, report, bodyHash, now });
      if (!reportRow) {
        const existing = await usage.findReport(tx, registration.licenseServerId, report.reportId);
        if (existing.bodyHash !== bodyHash) {
          throw new AppError(
            'report_conflict',
            'A different report was already sent with this reportId; use a new reportId for new data.',
          );
        }
        await usage.touch(tx, registration, report.server.productVersion, now, false);
        return { status: 200 as const, body: { reportId: report.reportId, accepted: 0, duplicate: true } };
      }
      await usage.insertRecords(tx, registration, reportRow.id, report);
      await usage.touch(tx, registration, report.server.productVersion, now, true);
      await enqueueOverdrafts(tx, registration, report.records, now);
      return {
        status: 202 as const,
        body: { reportId: report.reportId, accepted: report.records.length, duplicate: false },
      };
    });
  }

  /** Monthly partitions for every month an upload may name: 400 days back to a day ahead, and a margin. */
  async function ensurePartitions(): Promise<void> {
    const now = clock.now().getTime();
    await usage.ensurePartitions(new Date(now - (OLDEST_DAYS + 31) * DAY_MS), new Date(now + 62 * DAY_MS));
  }

  return { ingest, ensurePartitions };
}

export type UsageIngestion = ReturnType<typeof createUsageIngestion>;

const removed = () =>
  new AppError('registration_removed', 'This registration was removed; the cloud no longer collects usage from it.');
