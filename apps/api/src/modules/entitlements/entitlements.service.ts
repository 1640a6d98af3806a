import type { TEntitlements } from '@reg/contracts/entitlements-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import type { CsvColumn } from '../../lib/csv.ts';
import type { Principal } from '../../lib/principal.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { entitlementsOf, firstHeldDay, keyOf, utcDay } from './entitlement-rules.ts';
import { customerHeldKeys, peaks } from './entitlements.repository.ts';
import { createLicenseAlerts } from './license-alerts.ts';

type Entitlement = TEntitlements['items'][number];

/** The CSV's columns, in the contract's order; null is an empty cell. */
export const ENTITLEMENT_COLUMNS: CsvColumn<Entitlement>[] = (
  [
    'productCode',
    'edition',
    'licenseModel',
    'state',
    'installed',
    'inUse',
    'peakInUse30d',
    'expiresAt',
    'daysLeft',
    'maintenanceEndsAt',
    'maintenanceState',
    'servers',
    'insufficientServers',
  ] as const
).map((key) => ({ header: key, value: (row) => row[key] }));

/** Licensing > Entitlements, and the sweep's evaluation of expiry dates and shortages. */
export function createEntitlementService(deps: { db: Db; clock: Clock; outbox: Outbox; expiryWarningDays: number }) {
  const { db, clock, expiryWarningDays } = deps;

  /** GET /entitlements: one item per product key held by the customer's servers, most urgent first. */
  async function list(asker: Pick<Principal, 'customerId'>): Promise<TEntitlements> {
    const today = utcDay(clock.now());
    const first = firstHeldDay(today);
    const [held, peakRows] = await db.$transaction(
      async (tx) => [
        await customerHeldKeys(tx, asker.customerId, first),
        await peaks(tx, asker.customerId, first, today),
      ],
      // One snapshot for both reads.
      { isolationLevel: 'RepeatableRead' },
    );
    const peakOf = new Map(peakRows.map((row) => [keyOf(row), row.peak]));
    return {
      asOf: today,
      warningDays: expiryWarningDays,
      items: entitlementsOf(held, peakOf, today, expiryWarningDays),
    };
  }

  return { list, evaluateAlerts: createLicenseAlerts(deps) };
}

export type EntitlementService = ReturnType<typeof createEntitlementService>;
