import { describe, expect, it } from 'vitest';
import { hashPassword, hmacSha256, verifyPassword } from './crypto.ts';

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
