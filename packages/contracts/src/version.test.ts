import { describe, expect, it } from 'vitest';
import { compareVersions } from './version.ts';

describe('compareVersions', () => {
  it.each([
    ['11.15.0.0', '11.15.0.0', 0],
    ['11.15', '11.15.0.0', 0],
    ['11.9.0.0', '11.15.0.0', -1],
    ['11.100.0.0', '11.15.0.0', 1],
    ['12', '11.99.99.99', 1],
    ['11.15.0.1', '11.15.0.0', 1],
    ['10.99.99.99', '11.0', -1],
  ])('compares %s with %s numerically part by part: %i', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });
});
