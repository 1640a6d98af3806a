import { randomBytes } from 'node:crypto';

const POOL_BYTES = 8 * 1024;
const SECRET_BYTES = 32;
let pool = randomBytes(POOL_BYTES);
let offset = 0;

/**
 * A 256-bit random secret, base64url, as lib/crypto.ts randomSecret, but cut from a pool of
 * bytes drawn from the same CSPRNG 8 KiB at a time: one randomBytes call per 256 secrets
 * instead of one per secret (a code request makes one poll token). Used bytes are zeroed.
 */
export function pooledRandomSecret(): string {
  if (offset + SECRET_BYTES > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const secret = pool.toString('base64url', offset, offset + SECRET_BYTES);
  pool.fill(0, offset, offset + SECRET_BYTES);
  offset += SECRET_BYTES;
  return secret;
}
