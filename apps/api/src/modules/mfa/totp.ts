import { randomInt } from 'node:crypto';
import { CODE_ALPHABET, normaliseCode } from '@reg/contracts/short-code';
import { Secret, TOTP } from 'otpauth';

/**
 * RFC 6238 through `otpauth` (the library authenticator apps' own code follows): HMAC-SHA-1,
 * six digits, 30-second steps from the Unix epoch, a code of the step before or after accepted.
 */
const PERIOD = 30;
const DIGITS = 6;

/** 20 random bytes in RFC 4648 base32 without padding: 32 characters. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/**
 * The URL an authenticator app reads from the QR code. Written out here rather than taken from
 * otpauth's toString so the parameters come in the documented order.
 */
export function otpauthUrl(issuer: string, email: string, secret: string): string {
  const i = encodeURIComponent(issuer);
  return `otpauth://totp/${i}:${encodeURIComponent(email)}?secret=${secret}&issuer=${i}&algorithm=SHA1&digits=${DIGITS}&period=${PERIOD}`;
}

const totpOf = (secret: string) =>
  new TOTP({ algorithm: 'SHA1', digits: DIGITS, period: PERIOD, secret: Secret.fromBase32(secret) });

/**
 * The 30-second step the code belongs to (the current one or its neighbours), or null when it
 * matches none. The caller refuses a step at or before the last accepted one (a code works once).
 */
export function acceptedStep(secret: string, typed: string, at: Date): number | null {
  const token = typed.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const totp = totpOf(secret);
  const delta = totp.validate({ token, timestamp: at.getTime(), window: 1 });
  return delta === null ? null : totp.counter({ timestamp: at.getTime() }) + delta;
}

/** The code for a time: tests and the e2e compute codes as a phone would. */
export const totpCode = (secret: string, at: Date) => totpOf(secret).generate({ timestamp: at.getTime() });

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_CODE_LENGTH = 10;

/** A recovery code as shown: ten characters of the short-code alphabet, XXXXX-XXXXX. */
export function newRecoveryCode(): string {
  let code = '';
  for (let i = 0; i < RECOVERY_CODE_LENGTH; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/** Normalised as short codes are (case, spaces and dashes ignored, O→0, I/L→1), or null when malformed. */
export function parseRecoveryCode(typed: string): string | null {
  const code = normaliseCode(typed);
  if (code.length !== RECOVERY_CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}
