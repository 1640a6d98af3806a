import { randomBytes } from 'node:crypto';
import { CODE_ALPHABET, SHORT_CODE_LENGTH } from '@reg/contracts/short-code';

const POOL_BYTES = 8 * 1024;
let pool = randomBytes(POOL_BYTES);
let offset = 0;

/**
 * Random values cut from a pool of bytes drawn from the CSPRNG 8 KiB at a time: one
 * randomBytes call per few hundred values instead of one each (about 20 µs a call on the
 * bench machine; a code request needs a code and a poll token). Used bytes are zeroed.
 */
function fromPool<T>(size: number, read: (bytes: Buffer, at: number) => T): T {
  if (offset + size > POOL_BYTES) {
    pool = randomBytes(POOL_BYTES);
    offset = 0;
  }
  const value = read(pool, offset);
  pool.fill(0, offset, offset + size);
  offset += size;
  return value;
}

/** A 256-bit random secret, base64url, as lib/crypto.ts randomSecret. */
export const pooledRandomSecret = (): string => fromPool(32, (bytes, at) => bytes.toString('base64url', at, at + 32));

// 8 letters of a 32-letter alphabet are exactly 40 bits: 5 random bytes, 5 bits a letter, no bias.
if (CODE_ALPHABET.length !== 32 || SHORT_CODE_LENGTH !== 8) throw new Error('pooledRandomCode assumes 8 letters of 32');

/** SHORT_CODE_LENGTH letters, each uniform over the 32-letter alphabet. */
export const pooledRandomCode = (): string =>
  fromPool(5, (bytes, at) => {
    let bits = bytes[at]! * 2 ** 32 + bytes.readUInt32BE(at + 1);
    let code = '';
    for (let i = 0; i < SHORT_CODE_LENGTH; i++) {
      code = CODE_ALPHABET[bits % 32]! + code;
      bits = Math.floor(bits / 32);
    }
    return code;
  });
