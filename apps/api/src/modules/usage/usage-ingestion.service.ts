import { isoBefore } from '@reg/contracts/common';
import type { TEventData } from '@reg/contracts/events';
import type { TUsageAccepted, TUsageReport } from '@reg/contracts/usage-api';
import type { Db } from '@reg/db/client';
import { retryIdempotent } from '@reg/db/retry';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { Query } from '../../lib/query.ts';
import { serverOf } from '../../lib/server-ref.ts';
import type { Outbox } from '../notifications/outbox.ts';
import type { RegistrationRow } from '../registrations/registrations.service.ts';
import { claimOverdrafts } from './usage-overdrafts.repository.ts';
import { createUsageRepository, productKey } from './usage.repository.ts';

const DAY_MS = 24 * 3600_000;
const OLDEST_DAYS = 400;
/** Distinct product keys (product code, edition, license model) one report, and one server, may have. */
export const MAX_PRODUCT_KEYS = 200;
/**
 * Overdraft is announced for today and the two days before (UTC) only: a report that brings
 * weeks of history announces nothing about its old days, which the console shows anyway.
 */
export const OVERDRAFT_NOTICE_DAYS = 2;

type Overdraft = TEventData['usage.overdraft'];

export function createUsageIngestion({ db, clock, outbox }: { db: Db; clock: Clock; outbox: Outbox }) {
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

  function keysOf(report: TUsageReport) {
    const keys = new Set(report.records.map(productKey));
    if (keys.size > MAX_PRODUCT_KEYS) throw tooManyKeys(`This report has ${keys.size} product keys`);
    return keys;
  }

  /**
   * One usage.overdraft event per product key newly in overdraft (claimOverdrafts) on a day of
   * the notice window, in the upload's transaction: the days in the payload, the highest
   * peak's day and values in its `day`, `installed` and `peakInUse`.
   */
  async function announceOverdrafts(query: Query, registration: RegistrationRow, report: TUsageReport, now: Date) {
    const firstDay = new Date(now.getTime() - OVERDRAFT_NOTICE_DAYS * DAY_MS).toISOString().slice(0, 10);
    const recent = report.records.filter(
      (r) => r.peakInUse > r.installed && new Date(r.periodStart).toISOString().slice(0, 10) >= firstDay,
    );
    if (!recent.length) return;
    const server = serverOf(registration);
    const perKey = new Map<string, Overdraft>();
    // Oldest day first: `days` comes out in order.
    for (const claimed of await claimOverdrafts(query, registration.licenseServerId, recent)) {
      const key = productKey(claimed);
      const event = perKey.get(key);
      if (!event) perKey.set(key, { server, ...claimed, days: [claimed.day] });
      else {
        event.days.push(claimed.day);
        if (claimed.peakInUse > event.peakInUse) Object.assign(event, { ...claimed, days: event.days });
      }
    }
    for (const data of perKey.values())
      await outbox.enqueueOn(query, { customerId: registration.customerId, type: 'usage.overdraft', at: now, data });
  }

  /**
   * Stores a report once (usage.repository.ts, storeReport). The report row is the idempotency
   * key: a concurrent duplicate waits for the registration lock and then finds it. The
   * registration row is locked first, so a removal either waits for this upload to commit or
   * this upload sees the removal (and uploads of one server take turns, free of deadlocks). The
   * whole transaction runs once more when it failed on the connection (retryIdempotent).
   */
  async function ingest(
    registration: RegistrationRow,
    report: TUsageReport,
  ): Promise<{ status: 200 | 202; body: TUsageAccepted }> {
    const now = clock.now();
    checkTimes(report, now);
    const keys = keysOf(report);
    // Idempotent by report id: a retry after a commit whose answer was lost finds the report
    // stored (a duplicate, 200), and one after a rollback stores it; never twice.
    const outcome = await retryIdempotent(() =>
      usage.storeInTransaction({ registration, report, now, keys, maxKeysPerServer: MAX_PRODUCT_KEYS }, (query) =>
        announceOverdrafts(query, registration, report, now),
      ),
    );
    if (outcome === 'removed') throw removed();
    if (outcome === 'conflict') throw conflict();
    if (outcome === 'too_many_keys') throw tooManyKeys('With this report the server would have more product keys');
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

const tooManyKeys = (what: string) =>
  new AppError(
    'too_many_product_keys',
    `${what} than the ${MAX_PRODUCT_KEYS} a server may report (a key is a product code, edition and license model).`,
  );

const conflict = () =>
  new AppError(
    'report_conflict',
    'A different report was already sent with this reportId; use a new reportId for new data.',
  );

const removed = () =>
  new AppError('registration_removed', 'This registration was removed; the cloud no longer collects usage from it.');
