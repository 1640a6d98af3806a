export const USAGE_RANGES = [
  { days: 7, label: 'Last 7 days' },
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last 365 days' },
] as const;

export type UsageRangeDays = (typeof USAGE_RANGES)[number]['days'];
export const DEFAULT_RANGE: UsageRangeDays = 30;

export function parseRangeDays(value: string | null): UsageRangeDays {
  const days = Number(value);
  return USAGE_RANGES.find((range) => range.days === days)?.days ?? DEFAULT_RANGE;
}

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The last N days up to today, as the API's YYYY-MM-DD days (UTC, as the usage is stored). */
export function rangeQuery(days: UsageRangeDays, now = new Date()): { from: string; to: string } {
  const from = new Date(now.getTime() - (days - 1) * 86_400_000);
  return { from: isoDay(from), to: isoDay(now) };
}
