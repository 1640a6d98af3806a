import { describe, expect, it } from 'vitest';
import { hashPassword, hmacSha256, sha256, verifyPassword } from './crypto.ts';

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

  // Stored hashes must not change with how they are computed: known answers (FIPS 180-2, RFC 4231 case 2).
  it('computes the standard SHA-256 and HMAC-SHA-256, also with a key used before', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    for (let i = 0; i < 2; i++) {
      expect(hmacSha256('Jefe', 'what do ya want for nothing?')).toBe(
        '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
      );
    }
  });
});
