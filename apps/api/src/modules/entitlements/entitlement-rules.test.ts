import { describe, expect, it } from 'vitest';
import { daysBetween, thresholdOf } from './entitlement-rules.ts';

describe('expiry thresholds', () => {
  it('is the smallest of 30, 7 and 1 at or above the days left, 0 once the day is reached', () => {
    const at = (days: number) => thresholdOf(days, 30);
    expect([at(45), at(31), at(30), at(20), at(8), at(7), at(5), at(2), at(1), at(0), at(-3)]).toEqual([
      null,
      null,
      30,
      30,
      30,
      7,
      7,
      7,
      1,
      0,
      0,
    ]);
  });

  it('drops thresholds above the warning window', () => {
    expect([thresholdOf(5, 5), thresholdOf(3, 5), thresholdOf(1, 5), thresholdOf(6, 5)]).toEqual([5, 5, 1, null]);
    expect([thresholdOf(1, 1), thresholdOf(2, 1)]).toEqual([1, null]);
    expect([thresholdOf(7, 7), thresholdOf(2, 7)]).toEqual([7, 7]);
  });

  it('counts whole UTC days', () => {
    expect(daysBetween('2026-12-07', '2026-12-07')).toBe(0);
    expect(daysBetween('2026-12-07', '2027-01-06')).toBe(30);
    expect(daysBetween('2026-12-07', '2026-12-01')).toBe(-6);
  });
});
