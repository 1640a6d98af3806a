import {
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  sign,
  type KeyObject,
} from 'node:crypto';
import {
  OFFLINE_FORMATS,
  OFFLINE_HKDF_INFO,
  offlineRequestSignedText,
  offlineResponseAad,
  type TOfflineRequestFile,
  type TOfflineResponseFile,
} from '@reg/contracts/offline-api';

/**
 * The License Server's half of the air-gapped exchange (docs/offline-files.md), node:crypto's
 * standard primitives only. The cloud's half is apps/api/src/modules/offline/offline-crypto.ts.
 */

/** The private keys of a pending offline request, as kept (0600) in the state directory. */
export interface OfflineKeys {
  requestId: string;
  instanceId: string;
  encryptionPrivateKey: string;
  signingPrivateKey: string;
}

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const rawPublic = (privatePem: string) => createPublicKey(createPrivateKey(privatePem)).export({ format: 'jwk' }).x!;

export function newOfflineKeys(requestId: string, instanceId: string): OfflineKeys {
  return {
    requestId,
    instanceId,
    encryptionPrivateKey: pem(generateKeyPairSync('x25519').privateKey),
    signingPrivateKey: pem(generateKeyPairSync('ed25519').privateKey),
  };
}

type RequestFields = Omit<
  TOfflineRequestFile,
  'format' | 'requestId' | 'instanceId' | 'encryptionKey' | 'signingKey' | 'signature'
>;

/** The request file, signed with the request's Ed25519 key so any change to it is seen. */
export function signedRequestFile(keys: OfflineKeys, fields: RequestFields): TOfflineRequestFile {
  const unsigned = {
    format: OFFLINE_FORMATS.request,
    requestId: keys.requestId,
    ...fields,
    instanceId: keys.instanceId,
    encryptionKey: rawPublic(keys.encryptionPrivateKey),
    signingKey: rawPublic(keys.signingPrivateKey),
  };
  const signature = sign(
    null,
    Buffer.from(offlineRequestSignedText(unsigned)),
    createPrivateKey(keys.signingPrivateKey),
  );
  return { ...unsigned, signature: signature.toString('base64url') };
}

/** The credential of a response file; throws when it was not encrypted to these keys or was changed. */
export function decryptCredential(keys: OfflineKeys, response: TOfflineResponseFile): string {
  const { ephemeralKey, iv, ciphertext, tag } = response.credential;
  const recipient = rawPublic(keys.encryptionPrivateKey);
  const shared = diffieHellman({
    privateKey: createPrivateKey(keys.encryptionPrivateKey),
    publicKey: createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: ephemeralKey }, format: 'jwk' }),
  });
  const salt = Buffer.concat([Buffer.from(ephemeralKey, 'base64url'), Buffer.from(recipient, 'base64url')]);
  const key = Buffer.from(hkdfSync('sha256', shared, salt, OFFLINE_HKDF_INFO.responseKey, 32));
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(offlineResponseAad(response)));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
}

/** The HMAC key of this registration's usage files (the cloud derived the same when it made the credential). */
const usageKeyOf = (credential: string, registrationId: string) =>
  Buffer.from(hkdfSync('sha256', credential, registrationId, OFFLINE_HKDF_INFO.usageKey, 32));

/** HMAC-SHA256 over the exact report text that goes in the usage file. */
export const usageMac = (credential: string, registrationId: string, report: string) =>
  createHmac('sha256', usageKeyOf(credential, registrationId)).update(report, 'utf8').digest('base64url');
