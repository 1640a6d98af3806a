import type { TUsageRecord } from '@reg/contracts/usage-api';

const DAY = 86_400_000;
const startOfDay = (now: Date) => Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());

/** The UTC day `days` from `now`'s (negative: before), as YYYY-MM-DD. */
export const dayFrom = (now: Date, days: number) => new Date(startOfDay(now) + days * DAY).toISOString().slice(0, 10);

/** A daily record of one product key, `daysAgo` days before `now`'s day. */
export function keyRecord(
  now: Date,
  daysAgo: number,
  values: Partial<TUsageRecord> & { productCode?: string } = {},
): TUsageRecord {
  const start = startOfDay(now) - daysAgo * DAY;
  return {
    periodStart: new Date(start).toISOString(),
    periodEnd: new Date(start + DAY).toISOString(),
    productCode: 'XDT',
    edition: 'PLT',
    licenseModel: 'user-device',
    installed: 100,
    inUse: 50,
    peakInUse: 60,
    ...values,
  };
}
