import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, formatCode, normaliseCode, parseCode } from './short-code.ts';

describe('short codes', () => {
  it('uses Crockford base32 without I, L, O and U', () => {
    expect(CODE_ALPHABET).toHaveLength(32);
    expect(CODE_ALPHABET).not.toMatch(/[ILOU]/);
  });

  it.each([['abcd-efgh'], ['ABCD EFGH'], ['ABCDEFGH'], [' abCD-efGH '], ['ab cd-ef gh']])(
    'reads %j as ABCDEFGH',
    (input) => {
      expect(parseCode(input)).toBe('ABCDEFGH');
    },
  );

  it('reads O as 0 and I, L as 1', () => {
    expect(normaliseCode('OIL0-1lio')).toBe('01101110');
    expect(parseCode('OOOO-IIII')).toBe('00001111');
  });

  it.each([['ABCDEFG'], ['ABCDEFGHJ'], ['ABCD-EFGU'], ['ABCD_EFGH'], ['ÄBCDEFGH'], ['']])('refuses %j', (input) => {
    expect(parseCode(input)).toBeNull();
  });

  it('formats as XXXX-XXXX', () => {
    expect(formatCode('7KQ4MZ2P')).toBe('7KQ4-MZ2P');
  });
});
