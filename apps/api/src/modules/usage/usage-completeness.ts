import type { TGranularity, TUsagePoint, TUsageSeries } from '@reg/contracts/usage-api';
import type { LateRow } from './usage-completeness.repository.ts';

const DAY_MS = 24 * 3600_000;
const keyOf = (k: { productCode: string; edition: string; licenseModel: string }) =>
  `${k.productCode}\u0000${k.edition}\u0000${k.licenseModel}`;

/** The first day of every period (day or month) from `from` to `to`, oldest first. */
export function periodsOf(from: string, to: string, granularity: TGranularity): string[] {
  const periods: string[] = [];
  if (granularity === 'day') {
    for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS)
      periods.push(new Date(t).toISOString().slice(0, 10));
    return periods;
  }
  const end = to.slice(0, 7);
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const period = `${year}-${String(month).padStart(2, '0')}`;
    if (period > end) return periods;
    periods.push(`${period}-01`);
    month += 1;
    if (month > 12) [year, month] = [year + 1, 1];
  }
}

const NO_REPORT = { installed: null, inUse: null, peakInUse: null, late: null } as const;

/**
 * Every series with a point for every period of the range: a period without a record of the
 * key is all null (no report is not zero use), one with values says whether it came late
 * (a month when any of its days did). Keys without any record in the range have no series.
 */
export function completeSeries(
  series: TUsageSeries['series'],
  periods: string[],
  lateRows: LateRow[],
  granularity: TGranularity,
): TUsageSeries['series'] {
  const late = new Set(
    lateRows.map((row) => {
      const period = granularity === 'day' ? row.day : `${row.day.slice(0, 7)}-01`;
      return `${row.product_code}\u0000${row.edition}\u0000${row.license_model}\u0000${period}`;
    }),
  );
  return series.map((entry) => {
    const byDay = new Map(entry.points.map((point) => [point.day, point]));
    const points: TUsagePoint[] = periods.map((day) => {
      const point = byDay.get(day);
      return point ? { ...point, late: late.has(`${keyOf(entry)}\u0000${day}`) } : { day, ...NO_REPORT };
    });
    return { ...entry, points };
  });
}
