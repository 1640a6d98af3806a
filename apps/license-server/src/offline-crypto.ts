import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { OFFLINE_FORMATS, type TOfflineRequestFile, type TOfflineResponseFile } from '@reg/contracts/offline-api';
import * as format from '@reg/contracts/offline-crypto';

/**
 * The License Server's keys for the air-gapped exchange (docs/offline-files.md): made per
 * request, kept as PEM in the state directory, and used through the format's one implementation,
 * @reg/contracts/offline-crypto, which the cloud uses too.
 */

/** The private keys of a pending offline request, as kept (0600) in the state directory. */
export interface OfflineKeys {
  requestId: string;
  instanceId: string;
  encryptionPrivateKey: string;
  signingPrivateKey: string;
}

const pem = (key: KeyObject) => key.export({ format: 'pem', type: 'pkcs8' }).toString();
const rawPublic = (privatePem: string) => format.rawPublicKey(createPublicKey(createPrivateKey(privatePem)));

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
  return { ...unsigned, signature: format.requestSignature(unsigned, createPrivateKey(keys.signingPrivateKey)) };
}

/** The credential of a response file; throws when it was not encrypted to these keys or was changed. */
export const decryptCredential = (keys: OfflineKeys, response: TOfflineResponseFile) =>
  format.decryptCredential(createPrivateKey(keys.encryptionPrivateKey), response);

/** The MAC of a usage file's report, keyed with this registration's usage key (derived from its credential). */
export const usageMac = (credential: string, registrationId: string, report: string) =>
  format.usageMac(format.usageKeyOf(credential, registrationId), report);
