import {
  createCipheriv,
  createHash,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import {
  OFFLINE_HKDF_INFO,
  offlineRequestSignedText,
  offlineResponseAad,
  type TOfflineRequestFile,
  type TOfflineResponseFile,
} from '@reg/contracts/offline-api';

/**
 * The cloud's half of the air-gapped exchange (docs/offline-files.md), from node:crypto's
 * standard primitives only: Ed25519 to check a request file, ECDH-ES over X25519 with
 * HKDF-SHA256 and AES-256-GCM to encrypt the credential to the request, HMAC-SHA256 over a
 * usage file's report. The License Server's half is apps/license-server/src/offline-crypto.ts.
 */
const b64 = (bytes: Buffer | ArrayBuffer) => Buffer.from(bytes as Buffer).toString('base64url');
const rawKey = (x: string, crv: 'X25519' | 'Ed25519') =>
  createPublicKey({ key: { kty: 'OKP', crv, x }, format: 'jwk' });

/** True when the file is exactly what the holder of its signing key wrote. */
export function requestSignatureValid(file: TOfflineRequestFile): boolean {
  try {
    const { signature, ...signed } = file;
    const key = rawKey(file.signingKey, 'Ed25519');
    return verify(null, Buffer.from(offlineRequestSignedText(signed)), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false; // not a point on the curve, or a key of the wrong length
  }
}

/**
 * The X25519 shared secret with `encryptionKey`, or null when there is none to use: a key
 * that is no point of the curve, or one of low order (all-zero secret whatever the other
 * side's key, so anyone could read what is encrypted to it).
 */
function sharedSecret(privateKey: KeyObject, encryptionKey: string): Buffer | null {
  try {
    const shared = diffieHellman({ privateKey, publicKey: rawKey(encryptionKey, 'X25519') });
    return shared.some((byte) => byte !== 0) ? shared : null;
  } catch {
    return null; // OpenSSL refuses the derivation with a low-order point
  }
}

/** True when a credential can be encrypted to the request's key: checked before anything is stored. */
export const encryptionKeyUsable = (encryptionKey: string) =>
  sharedSecret(generateKeyPairSync('x25519').privateKey, encryptionKey) !== null;

/** The request's identity for the single-use check: the hash of what its signature covers. */
export const requestHash = (file: TOfflineRequestFile) =>
  createHash('sha256').update(offlineRequestSignedText(file)).digest('hex');

/** The credential, encrypted so that only the holder of the request's X25519 private key can read it. */
export function encryptCredential(
  credential: string,
  encryptionKey: string,
  ids: Pick<TOfflineResponseFile, 'requestId' | 'instanceId' | 'registrationId'>,
): TOfflineResponseFile['credential'] {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralKey = ephemeral.publicKey.export({ format: 'jwk' }).x!;
  const shared = sharedSecret(ephemeral.privateKey, encryptionKey);
  if (!shared) throw new Error('The request file has no usable encryption key.');
  const salt = Buffer.concat([Buffer.from(ephemeralKey, 'base64url'), Buffer.from(encryptionKey, 'base64url')]);
  const key = Buffer.from(hkdfSync('sha256', shared, salt, OFFLINE_HKDF_INFO.responseKey, 32));
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(offlineResponseAad(ids)));
  const ciphertext = Buffer.concat([cipher.update(credential, 'utf8'), cipher.final()]);
  return {
    alg: 'X25519-HKDF-SHA256-A256GCM',
    ephemeralKey,
    iv: b64(iv),
    ciphertext: b64(ciphertext),
    tag: b64(cipher.getAuthTag()),
  };
}

/** The HMAC key of a registration's usage files; the License Server derives the same from its credential. */
export const usageKeyOf = (credential: string, registrationId: string) =>
  b64(hkdfSync('sha256', credential, registrationId, OFFLINE_HKDF_INFO.usageKey, 32));

/** Constant-time check of a usage file's MAC over the exact report text. */
export function usageMacValid(usageKey: string, report: string, mac: string): boolean {
  const expected = createHmac('sha256', Buffer.from(usageKey, 'base64url')).update(report, 'utf8').digest();
  const sent = Buffer.from(mac, 'base64url');
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
