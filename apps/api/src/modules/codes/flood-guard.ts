import { addressKey } from '../../lib/address.ts';
import { AppError } from '../../lib/errors.ts';

/**
 * Code requests per source address and minute, in memory and per instance (docs/protocol.md: a
 * guard against floods, not a security boundary). A window opens with an address's first
 * request and lasts a minute; past `max` requests in it the answer is 429 rate_limited with
 * Retry-After until it closes. A plain Map: this check runs on every code request, so it is
 * kept to a lookup and an increment (no extra response headers, no per-key timers).
 */
export function createFloodGuard(max: number, windowMs = 60_000, now: () => number = Date.now) {
  const windows = new Map<string, { count: number; endsAt: number }>();
  let nextSweep = 0;

  function sweep(at: number) {
    if (at < nextSweep) return;
    nextSweep = at + windowMs;
    for (const [key, window] of windows) if (window.endsAt <= at) windows.delete(key);
  }

  return function check(address: string): void {
    const at = now();
    sweep(at);
    const key = addressKey(address);
    let window = windows.get(key);
    if (!window || window.endsAt <= at) {
      window = { count: 0, endsAt: at + windowMs };
      windows.set(key, window);
    }
    if (++window.count > max) {
      throw new AppError(
        'rate_limited',
        'Too many code requests from this address; wait a minute.',
        {},
        Math.max(1, Math.ceil((window.endsAt - at) / 1000)),
      );
    }
  };
}
