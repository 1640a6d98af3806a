const DAY_MS = 86_400_000;
// The platform's own wording for days ("today", "tomorrow", "in 3 days").
const days = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * When the stale-registration policy removes a silent row, in words: "Removed in 3 days
 * unless it reports", "Removed tomorrow …", "Removed today …" (also once the time has come
 * and the sweep has yet to run).
 */
export function removalText(scheduledRemovalAt: string, now: Date = new Date()): string {
  const left = Math.max(0, Math.round((Date.parse(scheduledRemovalAt) - now.getTime()) / DAY_MS));
  return `Removed ${days.format(left, 'day')} unless it reports`;
}
