/**
 * When a silent registration is removed (docs/stale-registrations.md). Silence counts from
 * the last contact, or from the registration for one that never made contact. The removal
 * is announced WARNING_DAYS before it is due, and never comes sooner than WARNING_DAYS after
 * the announcement (a policy turned on for servers already that old waits those days too).
 * The sweep's SQL (stale-registrations.repository.ts) applies the same rule.
 */
export const WARNING_DAYS = 3;
const DAY_MS = 86_400_000;

interface Silence {
  lastContactAt: Date | null;
  registeredAt: Date;
  /** The removal time the sweep announced, if it did. */
  removalScheduledAt: Date | null;
}

/** The time a registration falls due: its silence has lasted the policy's days. */
const dueAt = (r: Silence, staleRemovalDays: number) =>
  new Date((r.lastContactAt ?? r.registeredAt).getTime() + staleRemovalDays * DAY_MS);

/**
 * An announcement holds while it is at or after the due time: a report moves the due time
 * past every earlier announcement, so a server that reported is never removed on an old one.
 */
const announcementHolds = (r: Silence, staleRemovalDays: number) =>
  r.removalScheduledAt !== null && r.removalScheduledAt >= dueAt(r, staleRemovalDays);

/** When the registration will be removed unless it reports; null while the policy is off. */
export function scheduledRemoval(r: Silence, staleRemovalDays: number | null, now: Date): Date | null {
  if (staleRemovalDays === null) return null;
  if (announcementHolds(r, staleRemovalDays)) return r.removalScheduledAt;
  // Not announced yet: the announcement comes at the earliest now, the removal days after it.
  return new Date(Math.max(dueAt(r, staleRemovalDays).getTime(), now.getTime() + WARNING_DAYS * DAY_MS));
}
