import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET } from '@reg/contracts/short-code';
import { generateCode, hashPassword, hmacSha256, verifyPassword } from './crypto.ts';

describe('generateCode', () => {
  it('makes 8 characters of the alphabet', () => {
    for (let i = 0; i < 1_000; i++) expect(generateCode()).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
  });

  it('draws every character uniformly (chi-squared over 40,000 draws of each position)', () => {
    const draws = 5_000;
    const counts = Array.from({ length: 8 }, () => new Map<string, number>());
    for (let i = 0; i < draws; i++) {
      const code = generateCode();
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
    const seen = new Set(Array.from({ length: 10_000 }, generateCode));
    expect(seen.size).toBe(10_000);
  });
});

describe('passwords and keyed hashes', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^scrypt\$/);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsE', a)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });

  it('keys code hashes with the secret', () => {
    expect(hmacSha256('k1', 'ABCDEFGH')).not.toBe(hmacSha256('k2', 'ABCDEFGH'));
    expect(hmacSha256('k1', 'ABCDEFGH')).toMatch(/^[0-9a-f]{64}$/);
  });
});
