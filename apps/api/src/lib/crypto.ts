import { createHmac, createSecretKey, hash, randomBytes, scrypt, timingSafeEqual, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

/** A 256-bit random secret, base64url (poll tokens, credentials, session tokens). */
export const randomSecret = (): string => randomBytes(32).toString('base64url');

/** One-shot `hash` (Node ≥ 20.12): about a third of createHash's cost on a short string. */
export const sha256 = (value: string): string => hash('sha256', value, 'hex');

/** HMAC keys imported once each: createHmac with a string imports the key on every call. */
const hmacKeys = new Map<string, KeyObject>();

export function hmacSha256(key: string, value: string): string {
  let keyObject = hmacKeys.get(key);
  if (!keyObject) hmacKeys.set(key, (keyObject = createSecretKey(Buffer.from(key))));
  return createHmac('sha256', keyObject).update(value).digest('hex');
}

// scrypt is memory-hard and built into Node: no native add-on to install (docs/decisions/003).
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password.normalize('NFKC'), salt, KEY_LENGTH, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64url');
  const actual = await scryptAsync(password.normalize('NFKC'), Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: SCRYPT.maxmem,
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Verified against when the email is unknown, so both failures take about the same time. */
export const DUMMY_PASSWORD_HASH = await hashPassword(randomSecret());
