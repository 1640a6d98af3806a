import type { TUsageQuery } from '@reg/contracts/usage-api';

export const USAGE_RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last 365 days' },
] as const;

export type UsageRangeDays = (typeof USAGE_RANGES)[number]['days'];
export const DEFAULT_RANGE: UsageRangeDays = 30;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The last N days up to today, as the API's YYYY-MM-DD days (UTC, as the usage is stored). */
export function rangeQuery(days: UsageRangeDays, now = new Date()): Required<TUsageQuery> {
  const from = new Date(now.getTime() - (days - 1) * 86_400_000);
  return { from: isoDay(from), to: isoDay(now) };
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_DAYS = 400;

export interface UsageRange {
  from: string;
  to: string;
  /** The preset it matches (the last N days up to today), or null for other days from a link. */
  days: UsageRangeDays | null;
}

/**
 * The range a page's URL names (`?from=&to=`, the API's names, so a shared link shows the same
 * days); anything the API would refuse falls back to the last 30 days.
 */
export function rangeFromUrl(from: string, to: string, now = new Date()): UsageRange {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const valid =
    DAY.test(from) && DAY.test(to) && start <= end && (end - start) / 86_400_000 < MAX_DAYS && !Number.isNaN(start);
  if (!valid) return { ...rangeQuery(DEFAULT_RANGE, now), days: DEFAULT_RANGE };
  const days = USAGE_RANGES.find((range) => {
    const preset = rangeQuery(range.days, now);
    return preset.from === from && preset.to === to;
  });
  return { from, to, days: days?.days ?? null };
}
