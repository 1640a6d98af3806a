import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import {
  OFFLINE_HKDF_INFO,
  offlineRequestSignedText,
  offlineResponseAad,
  type TOfflineRequestFile,
  type TOfflineResponseFile,
} from './offline-api.ts';

/**
 * The cryptography of the air-gapped files (docs/offline-files.md), both ends of it: the License
 * Server signs a request and opens its response, the cloud checks the request and encrypts the
 * credential to it, and both derive the same usage key. One implementation, so the two ends can't
 * drift apart on a salt or an info string. node:crypto's standard primitives only: Ed25519,
 * ECDH-ES over X25519 with HKDF-SHA256 and AES-256-GCM, HMAC-SHA256. Node only: the console never
 * imports it.
 */
const b64 = (bytes: Buffer) => bytes.toString('base64url');
const fromB64 = (text: string) => Buffer.from(text, 'base64url');

const publicKeyOf = (x: string, crv: 'X25519' | 'Ed25519') =>
  createPublicKey({ key: { kty: 'OKP', crv, x }, format: 'jwk' });

/** A public key as the files carry it: the raw 32 bytes, base64url. */
export const rawPublicKey = (publicKey: KeyObject) => publicKey.export({ format: 'jwk' }).x!;

/** The request's Ed25519 signature over everything else in it. */
export const requestSignature = (unsigned: Omit<TOfflineRequestFile, 'signature'>, signingKey: KeyObject) =>
  b64(sign(null, Buffer.from(offlineRequestSignedText(unsigned)), signingKey));

/** True when the file is exactly what the holder of its signing key wrote. */
export function requestSignatureValid(file: TOfflineRequestFile): boolean {
  try {
    const { signature, ...signed } = file;
    const key = publicKeyOf(file.signingKey, 'Ed25519');
    return verify(null, Buffer.from(offlineRequestSignedText(signed)), key, fromB64(signature));
  } catch {
    return false; // not a point on the curve, or a key of the wrong length
  }
}

/** The request's identity for the single-use check: the hash of what its signature covers. */
export const requestHash = (file: TOfflineRequestFile) =>
  createHash('sha256').update(offlineRequestSignedText(file)).digest('hex');

/**
 * The X25519 shared secret with `publicKey`, or null when there is none to use: a key that is no
 * point of the curve, or one of low order (all-zero secret whatever the other side's key, so
 * anyone could read what is encrypted to it).
 */
function sharedSecret(privateKey: KeyObject, publicKey: string): Buffer | null {
  try {
    const shared = diffieHellman({ privateKey, publicKey: publicKeyOf(publicKey, 'X25519') });
    return shared.some((byte) => byte !== 0) ? shared : null;
  } catch {
    return null; // OpenSSL refuses the derivation with a low-order point
  }
}

/** True when a credential can be encrypted to the request's key: the cloud checks it before storing anything. */
export const encryptionKeyUsable = (encryptionKey: string) =>
  sharedSecret(generateKeyPairSync('x25519').privateKey, encryptionKey) !== null;

/** The credential's AES key: HKDF over the shared secret, salted with both public keys. */
const credentialKey = (shared: Buffer, ephemeralKey: string, encryptionKey: string) =>
  Buffer.from(
    hkdfSync(
      'sha256',
      shared,
      Buffer.concat([fromB64(ephemeralKey), fromB64(encryptionKey)]),
      OFFLINE_HKDF_INFO.responseKey,
      32,
    ),
  );

type ResponseIds = Pick<TOfflineResponseFile, 'requestId' | 'instanceId' | 'registrationId'>;

/** The credential, encrypted so that only the holder of the request's X25519 private key can read it. */
export function encryptCredential(
  credential: string,
  encryptionKey: string,
  ids: ResponseIds,
): TOfflineResponseFile['credential'] {
  const ephemeral = generateKeyPairSync('x25519');
  const ephemeralKey = rawPublicKey(ephemeral.publicKey);
  const shared = sharedSecret(ephemeral.privateKey, encryptionKey);
  if (!shared) throw new Error('The request file has no usable encryption key.');
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', credentialKey(shared, ephemeralKey, encryptionKey), iv);
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

/** The credential of a response file; throws when it was not encrypted to this key or was changed. */
export function decryptCredential(encryptionPrivateKey: KeyObject, response: TOfflineResponseFile): string {
  const { ephemeralKey, iv, ciphertext, tag } = response.credential;
  const shared = diffieHellman({ privateKey: encryptionPrivateKey, publicKey: publicKeyOf(ephemeralKey, 'X25519') });
  const key = credentialKey(shared, ephemeralKey, rawPublicKey(createPublicKey(encryptionPrivateKey)));
  const decipher = createDecipheriv('aes-256-gcm', key, fromB64(iv));
  decipher.setAAD(Buffer.from(offlineResponseAad(response)));
  decipher.setAuthTag(fromB64(tag));
  return Buffer.concat([decipher.update(fromB64(ciphertext)), decipher.final()]).toString('utf8');
}

/** The HMAC key of a registration's usage files, base64url: both ends derive it from the credential. */
export const usageKeyOf = (credential: string, registrationId: string) =>
  b64(Buffer.from(hkdfSync('sha256', credential, registrationId, OFFLINE_HKDF_INFO.usageKey, 32)));

const macOf = (usageKey: string, report: string) =>
  createHmac('sha256', fromB64(usageKey)).update(report, 'utf8').digest();

/** HMAC-SHA256 over the exact report text that goes in the usage file. */
export const usageMac = (usageKey: string, report: string) => b64(macOf(usageKey, report));

/** Constant-time check of a usage file's MAC over the exact report text. */
export function usageMacValid(usageKey: string, report: string, mac: string): boolean {
  const expected = macOf(usageKey, report);
  const sent = fromB64(mac);
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}
