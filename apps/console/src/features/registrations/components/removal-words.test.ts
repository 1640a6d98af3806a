import { describe, expect, it } from 'vitest';
import { removalText } from './removal-words.ts';

const now = new Date('2026-11-29T12:00:00Z');
const inHours = (hours: number) => new Date(now.getTime() + hours * 3600_000).toISOString();

describe('removalText', () => {
  it.each([
    [72, 'Removed in 3 days unless it reports'],
    [70, 'Removed in 3 days unless it reports'],
    [30, 'Removed tomorrow unless it reports'],
    [5, 'Removed today unless it reports'],
    [-2, 'Removed today unless it reports'],
    [24 * 200, 'Removed in 200 days unless it reports'],
  ])('%s hours ahead: %s', (hours, text) => {
    expect(removalText(inHours(hours), now)).toBe(text);
  });
});
