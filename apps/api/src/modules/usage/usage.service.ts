import { isoBefore } from '@reg/contracts/common';
import type { TUsageAccepted, TUsageReport } from '@reg/contracts/usage-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { RegistrationRow } from '../registrations/registrations.service.ts';
import { createUsageRepository } from './usage.repository.ts';

const DAY_MS = 24 * 3600_000;
const OLDEST_DAYS = 400;

export function createUsageIngestion({ db, clock }: { db: Db; clock: Clock }) {
  const usage = createUsageRepository(db);
  function checkTimes(report: TUsageReport, now: Date) {
    const oldest = new Date(now.getTime() - OLDEST_DAYS * DAY_MS).toISOString();
    const newest = new Date(now.getTime() + DAY_MS).toISOString();
    const details: { path: (string | number)[]; message: string }[] = [];
    const check = (value: string, path: (string | number)[]) => {
      if (isoBefore(value, oldest) || isoBefore(newest, value))
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
   * Stores a report once (usage.repository.ts, storeReport). The report row is the idempotency
   * key: a concurrent duplicate waits for the registration lock and then finds it. The
   * registration row is locked first, so a removal either waits for this upload to commit or
   * this upload sees the removal (and uploads of one server take turns, free of deadlocks).
   */
  async function ingest(
    registration: RegistrationRow,
    report: TUsageReport,
  ): Promise<{ status: 200 | 202; body: TUsageAccepted }> {
    const now = clock.now();
    checkTimes(report, now);
    const outcome = await usage.storeInTransaction({ registration, report, now });
    if (outcome === 'removed') throw removed();
    if (outcome === 'conflict') throw conflict();
    const duplicate = outcome === 'duplicate';
    return {
      status: duplicate ? 200 : 202,
      body: { reportId: report.reportId, accepted: duplicate ? 0 : report.records.length, duplicate },
    };
  }

  /** Monthly partitions for every month an upload may name: 400 days back to a day ahead, and a margin. */
  async function ensurePartitions(): Promise<void> {
    const now = clock.now().getTime();
    await usage.ensurePartitions(new Date(now - (OLDEST_DAYS + 31) * DAY_MS), new Date(now + 62 * DAY_MS));
  }

  return { ingest, ensurePartitions };
}

export type UsageIngestion = ReturnType<typeof createUsageIngestion>;

const conflict = () =>
  new AppError(
    'report_conflict',
    'A different report was already sent with this reportId; use a new reportId for new data.',
  );

const removed = () =>
  new AppError('registration_removed', 'This registration was removed; the cloud no longer collects usage from it.');
