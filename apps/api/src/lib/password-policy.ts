import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The common passwords refused as new passwords: zxcvbn-ts's `passwords-common` list (about
 * 49,000 of the most used passwords, from leaked-password corpora; MIT, @zxcvbn-ts/language-common),
 * a maintained package rather than a hand-typed list. Lower-cased once: compared case-insensitively.
 */
const COMMON = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));

type WeakPasswordReason = 'too_short' | 'too_long' | 'contains_email' | 'common';

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

/** How many passwords the common list holds (the docs and a test name it). */
export const commonPasswordCount = () => COMMON.size;

/**
 * What a new password breaks (NIST SP 800-63B: length, no known-bad password, no composition
 * rules). Empty when it is fine. Passwords are compared after NFKC, as they are hashed.
 */
export function passwordWeaknesses(password: string, email: string): WeakPasswordReason[] {
  const reasons: WeakPasswordReason[] = [];
  const length = [...password.normalize('NFKC')].length;
  if (length < PASSWORD_MIN) reasons.push('too_short');
  if (length > PASSWORD_MAX) reasons.push('too_long');
  const lower = password.normalize('NFKC').toLowerCase();
  const local = email.split('@')[0]?.toLowerCase() ?? '';
  // A short local part ("bo") would refuse too much for too little.
  if (local.length >= 4 && lower.includes(local)) reasons.push('contains_email');
  if (COMMON.has(lower)) reasons.push('common');
  return reasons;
}
