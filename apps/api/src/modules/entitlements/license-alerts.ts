import type { TEventData, TLicenseDateField } from '@reg/contracts/events';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { serverRef } from '../../lib/server-ref.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { addDays, daysBetween, firstHeldDay, thresholdOf, utcDay } from './entitlement-rules.ts';
import {
  claimExpiryNotices,
  claimShortageChanges,
  heldKeysDueBy,
  type ExpiryClaim,
  type HeldKey,
} from './entitlements.repository.ts';

const FIELDS: TLicenseDateField[] = ['expiresAt', 'maintenanceEndsAt'];

/**
 * The licenses.* events (docs/notifications.md), evaluated by the notifications sweep on every
 * instance: every held key of every active registration against today. Each transition is
 * claimed in the database in the transaction that writes its event (a primary key for expiry
 * thresholds, a conditional upsert for shortages), so sweeps running at once write it once,
 * and the claim is made whether or not a channel wants the event.
 */
export function createLicenseAlerts({
  db,
  clock,
  outbox,
  expiryWarningDays,
}: {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  expiryWarningDays: number;
}) {
  /** Writes the events of every transition found; returns how many. */
  return async function evaluateLicenseAlerts(): Promise<number> {
    const now = clock.now();
    const today = utcDay(now);
    const first = firstHeldDay(today);
    return db.$transaction(
      async (tx) => {
        const due = await heldKeysDueBy(tx, first, addDays(today, expiryWarningDays));
        const wanted: (ExpiryClaim & { row: HeldKey; daysLeft: number })[] = [];
        for (const row of due)
          for (const field of FIELDS) {
            const date = row[field];
            if (date === null) continue;
            const daysLeft = daysBetween(today, date);
            const threshold = thresholdOf(daysLeft, expiryWarningDays);
            if (threshold === null) continue;
            const { customerId, licenseServerId, productCode, edition, licenseModel } = row;
            wanted.push({
              customerId,
              licenseServerId,
              productCode,
              edition,
              licenseModel,
              field,
              date,
              threshold,
              row,
              daysLeft,
            });
          }
        const claimed = wanted.length
          ? new Set(
              (
                await claimExpiryNotices(
                  tx,
                  wanted.map(({ row: _, daysLeft: __, ...claim }) => claim),
                  now,
                )
              ).map(claimKey),
            )
          : new Set<string>();
        let written = 0;
        for (const { row, field, date, threshold, daysLeft, ...claim } of wanted) {
          if (!claimed.has(claimKey({ ...claim, field, date, threshold }))) continue;
          const base = {
            server: serverRef(row),
            productCode: row.productCode,
            edition: row.edition,
            licenseModel: row.licenseModel,
            field,
            date,
            daysLeft,
            installed: row.installed,
          };
          await outbox.enqueue(tx, {
            customerId: row.customerId,
            at: now,
            ...(threshold === 0
              ? { type: 'licenses.expired', data: base }
              : { type: 'licenses.expiring', data: { ...base, threshold } }),
          });
          written++;
        }
        for (const change of await claimShortageChanges(tx, first, now)) {
          const data: TEventData['licenses.insufficient'] = {
            server: serverRef(change),
            productCode: change.productCode,
            edition: change.edition,
            licenseModel: change.licenseModel,
            installed: change.installed,
            inUse: change.inUse,
            periodStart: change.periodStart.toISOString(),
          };
          await outbox.enqueue(tx, {
            customerId: change.customerId,
            at: now,
            ...(change.insufficient ? { type: 'licenses.insufficient', data } : { type: 'licenses.sufficient', data }),
          });
          written++;
        }
        return written;
        // Prisma's default (5 s) would roll back a first sweep with thousands of transitions to
        // write, and every sweep after it the same: each statement keeps its own statement_timeout.
      },
      { timeout: ALERTS_TRANSACTION_MS },
    );
  };
}

/** The longest the evaluation's one transaction may take. */
const ALERTS_TRANSACTION_MS = 120_000;

const claimKey = (c: Omit<ExpiryClaim, never>) =>
  [c.customerId, c.licenseServerId, c.productCode, c.edition, c.licenseModel, c.field, c.date, c.threshold].join('\0');
