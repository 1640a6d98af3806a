import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET } from '@reg/contracts/short-code';
import { pooledRandomCode, pooledRandomSecret } from './random-pool.ts';

describe('pooledRandomCode', () => {
  it('makes 8 characters of the alphabet', () => {
    for (let i = 0; i < 1_000; i++) expect(pooledRandomCode()).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
  });

  it('draws every character uniformly (chi-squared over 40,000 draws of each position)', () => {
    const draws = 5_000;
    const counts = Array.from({ length: 8 }, () => new Map<string, number>());
    for (let i = 0; i < draws; i++) {
      const code = pooledRandomCode();
      for (let p = 0; p < 8; p++) counts[p]!.set(code[p]!, (counts[p]!.get(code[p]!) ?? 0) + 1);
    }
    const expected = draws / CODE_ALPHABET.length;
    for (const position of counts) {
      const chiSquared = [...CODE_ALPHABET].reduce(
        (sum, ch) => sum + ((position.get(ch) ?? 0) - expected) ** 2 / expected,
        0,
      );
      // 31 degrees of freedom: 61.1 is the 0.1% critical value, so a fair generator fails about once in a thousand runs per position.
      expect(chiSquared).toBeLessThan(61.1);
    }
  });

  it('rarely repeats (40 bits)', () => {
    const seen = new Set(Array.from({ length: 10_000 }, pooledRandomCode));
    expect(seen.size).toBe(10_000);
  });
});

describe('pooledRandomSecret', () => {
  it('makes 256-bit secrets, base64url, all different, also across pool refills', () => {
    const secrets = Array.from({ length: 1_000 }, pooledRandomSecret);
    for (const secret of secrets) expect(Buffer.from(secret, 'base64url')).toHaveLength(32);
    expect(new Set(secrets).size).toBe(1_000);
  });
});
