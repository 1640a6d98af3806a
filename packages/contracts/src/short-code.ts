/**
 * Short registration codes: 8 characters of Crockford base32, shown as XXXX-XXXX.
 * Shared by the API (which draws them), the console and the License Server CLI so all three
 * read a code alike; the length and the group shown are defined here only.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SHORT_CODE_LENGTH = 8;
/** Characters before the dash when a code is shown. */
export const SHORT_CODE_GROUP = 4;

/** Upper-cases, drops spaces and dashes, and reads O as 0 and I, L as 1. */
export function normaliseCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
}

/** The normalised code, or null when it is not SHORT_CODE_LENGTH characters of the alphabet. */
export function parseCode(input: string): string | null {
  const code = normaliseCode(input);
  if (code.length !== SHORT_CODE_LENGTH) return null;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return null;
  return code;
}

export function formatCode(code: string): string {
  return `${code.slice(0, SHORT_CODE_GROUP)}-${code.slice(SHORT_CODE_GROUP)}`;
}
