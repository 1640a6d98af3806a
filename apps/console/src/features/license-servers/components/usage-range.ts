import type { TGranularity } from '@reg/contracts/usage-api';
import { useUrlView } from '../../../hooks/use-url-view.ts';

/** The ranges offered; the view lives in the URL with the API's names (?from=&to=&granularity=). */
export const USAGE_RANGES = [
  { days: 30, label: 'Last 30 days' },
  { days: 90, label: 'Last 90 days' },
  { days: 365, label: 'Last 12 months' },
] as const;
export const GRANULARITY_OPTIONS: { value: TGranularity; label: string }[] = [
  { value: 'day', label: 'Daily' },
  { value: 'month', label: 'Monthly' },
];

export type UsageRangeDays = (typeof USAGE_RANGES)[number]['days'];
const DEFAULT_RANGE: UsageRangeDays = 30;
const DAY_MS = 86_400_000;
const MAX_RANGE_DAYS = 400;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** The last N days up to today, as the API's YYYY-MM-DD days (UTC, as the usage is stored). */
export function rangeQuery(days: number, now = new Date()): { from: string; to: string } {
  return { from: isoDay(new Date(now.getTime() - (days - 1) * DAY_MS)), to: isoDay(now) };
}

export interface UsageView {
  from: string;
  to: string;
  granularity: TGranularity;
  /** The offered range this is, or null for another (shared) from/to. */
  days: UsageRangeDays | null;
}

type UrlView = Readonly<Record<keyof typeof URL_VIEW, string>>;

/** Reads the view from the URL; anything missing or invalid falls back to the last 30 days, daily. */
function parseUsageView(params: UrlView, now = new Date()): UsageView {
  const granularity: TGranularity = params.granularity === 'month' ? 'month' : 'day';
  const { from, to } = params;
  if (isDay(from) && isDay(to) && from <= to && Date.parse(to) - Date.parse(from) <= MAX_RANGE_DAYS * DAY_MS) {
    const days = USAGE_RANGES.find((r) => {
      const offered = rangeQuery(r.days, now);
      return offered.from === from && offered.to === to;
    })?.days;
    return { from, to, granularity, days: days ?? null };
  }
  return { ...rangeQuery(DEFAULT_RANGE, now), granularity, days: DEFAULT_RANGE };
}

export const usageViewParams = (view: Pick<UsageView, 'from' | 'to' | 'granularity'>) => ({
  from: view.from,
  to: view.to,
  granularity: view.granularity,
});

/** The URL's names for the view (the API's); daily is the default and left out of the URL. */
const URL_VIEW = { from: '', to: '', granularity: 'day' } as const;

/** One usage view per page, in the URL: a change is a new history entry, so Back returns to the last one. */
export function useUsageView() {
  const [params, setParams] = useUrlView(URL_VIEW);
  const view = parseUsageView(params);
  return [view, (next: UsageView) => setParams(usageViewParams(next))] as const;
}
