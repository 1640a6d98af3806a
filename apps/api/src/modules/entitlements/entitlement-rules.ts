import type { TEntitlement, TEntitlementState, TMaintenanceState } from '@reg/contracts/entitlements-api';
import type { TLicenseModel } from '@reg/contracts/usage-api';
import type { HeldKey } from './entitlements.repository.ts';

/**
 * The rules of entitlements and their alerts (docs/protocol.md, Entitlements;
 * docs/notifications.md), as plain functions of the held keys and today: the API, the CSV and
 * the sweep all decide with these.
 */

const DAY_MS = 86_400_000;
/** A key counts as held while a record of it is this recent (today and the 29 days before). */
const HOLDING_DAYS = 30;

export const utcDay = (at: Date) => at.toISOString().slice(0, 10);
export const addDays = (day: string, days: number) => utcDay(new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS));
/** `day` minus `today`, in days: 0 on the day itself, negative after. */
export const daysBetween = (today: string, day: string) =>
  Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / DAY_MS);
/** The first day of the holding window. */
export const firstHeldDay = (today: string) => addDays(today, -(HOLDING_DAYS - 1));

/**
 * The licenses.expiring threshold a date is at: the smallest of `warningDays`, 7 and 1 (those
 * not above `warningDays`) at or above `daysLeft`; 0 when the date is today or past
 * (licenses.expired); null when it is further ahead than `warningDays`.
 */
export function thresholdOf(daysLeft: number, warningDays: number): number | null {
  if (daysLeft <= 0) return 0;
  if (daysLeft > warningDays) return null;
  return [1, 7, warningDays].find((t) => t <= warningDays && t >= daysLeft) ?? warningDays;
}

const STATE_ORDER: Record<TEntitlementState, number> = { expired: 0, insufficient: 1, expiring: 2, ok: 3 };
const earliest = (a: string | null, b: string | null) => (a === null ? b : b === null || a <= b ? a : b);
/** Code-point order (not the locale's), as the contract says. */
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** One item per product key held by at least one server, in the order of urgency. */
export function entitlementsOf(
  held: readonly HeldKey[],
  peaks: ReadonlyMap<string, number>,
  today: string,
  warningDays: number,
): TEntitlement[] {
  const byKey = new Map<string, HeldKey[]>();
  for (const row of held) {
    const key = keyOf(row);
    byKey.set(key, [...(byKey.get(key) ?? []), row]);
  }
  const warnBy = addDays(today, warningDays);
  const items = [...byKey.entries()].map(([key, rows]): TEntitlement => {
    const first = rows[0]!;
    const expiresAt = rows.reduce<string | null>((day, r) => earliest(day, r.expiresAt), null);
    const maintenanceEndsAt = rows.reduce<string | null>((day, r) => earliest(day, r.maintenanceEndsAt), null);
    const insufficientServers = rows.filter((r) => r.inUse > r.installed).length;
    const state: TEntitlementState =
      expiresAt !== null && expiresAt <= today
        ? 'expired'
        : insufficientServers > 0
          ? 'insufficient'
          : expiresAt !== null && expiresAt <= warnBy
            ? 'expiring'
            : 'ok';
    const maintenanceState: TMaintenanceState | null =
      maintenanceEndsAt === null
        ? null
        : maintenanceEndsAt <= today
          ? 'ended'
          : maintenanceEndsAt <= warnBy
            ? 'ending'
            : 'ok';
    return {
      productCode: first.productCode,
      edition: first.edition,
      licenseModel: first.licenseModel as TLicenseModel,
      installed: rows.reduce((sum, r) => sum + r.installed, 0),
      inUse: rows.reduce((sum, r) => sum + r.inUse, 0),
      peakInUse30d: peaks.get(key) ?? 0,
      expiresAt,
      daysLeft: expiresAt === null ? null : daysBetween(today, expiresAt),
      maintenanceEndsAt,
      maintenanceState,
      servers: rows.length,
      insufficientServers,
      state,
    };
  });
  return items.sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      (a.expiresAt === b.expiresAt
        ? 0
        : a.expiresAt === null
          ? 1
          : b.expiresAt === null
            ? -1
            : byCodePoint(a.expiresAt, b.expiresAt)) ||
      byCodePoint(a.productCode, b.productCode) ||
      byCodePoint(a.edition, b.edition) ||
      byCodePoint(a.licenseModel, b.licenseModel),
  );
}

/** One text per product key (NUL can't be in the texts: the upload refuses it). */
export const keyOf = (k: { productCode: string; edition: string; licenseModel: string }) =>
  `${k.productCode}\0${k.edition}\0${k.licenseModel}`;
