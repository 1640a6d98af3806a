import { z } from 'zod';
import { ZCustomerRef, ZTimestamp, ZUuid } from './common.ts';
import { ZCodePreview } from './console-api.ts';
import { ZRequestCodeRequest } from './product-api.ts';

/**
 * Air-gapped License Servers: the files carried between a server and the console, and the
 * console endpoints behind "Upload a request file" and "Upload usage files".
 * docs/offline-files.md describes the formats and the cryptography.
 */
export const OFFLINE_FORMATS = {
  request: 'reg-offline-request/1',
  response: 'reg-offline-response/1',
  usage: 'usage-offline-report/1',
} as const;

export const OFFLINE_LIMITS = {
  /** A request or response file. */
  registrationFileBytes: 16 * 1024,
  usageFilesPerUpload: 50,
} as const;

/** 32 raw bytes (an X25519 or Ed25519 public key), base64url without padding. */
const ZRawKey = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url');
const ZBase64Url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, 'must be base64url');

/** A code request's fields (same limits), with the request's id, time, keys and signature. */
export const ZOfflineRequestFile = ZRequestCodeRequest.extend({
  format: z.literal(OFFLINE_FORMATS.request),
  requestId: ZUuid,
  createdAt: ZTimestamp,
  /** X25519 public key the credential is encrypted to. */
  encryptionKey: ZRawKey,
  /** Ed25519 public key that signed this file. */
  signingKey: ZRawKey,
  /** Ed25519 signature over offlineRequestSignedText(file). */
  signature: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'must be a 64-byte signature in base64url'),
});
export type TOfflineRequestFile = z.infer<typeof ZOfflineRequestFile>;

/**
 * The exact text the request's signature covers: every field but the signature, in a fixed
 * order, as a JSON array (so no JSON canonicalisation is needed on either side).
 */
export function offlineRequestSignedText(file: Omit<TOfflineRequestFile, 'signature'>): string {
  return JSON.stringify([
    file.format,
    file.requestId,
    file.createdAt,
    file.product,
    file.productVersion,
    file.instanceId,
    file.serverName,
    file.hostname,
    file.os ?? null,
    file.usageSharing,
    file.encryptionKey,
    file.signingKey,
  ]);
}

export const ZOfflineResponseFile = z.strictObject({
  format: z.literal(OFFLINE_FORMATS.response),
  requestId: ZUuid,
  instanceId: ZUuid,
  registrationId: ZUuid,
  serverName: z.string(),
  customer: ZCustomerRef,
  registeredAt: ZTimestamp,
  /** The credential, encrypted to the request's encryptionKey (ECDH-ES, X25519, HKDF-SHA256, AES-256-GCM). */
  credential: z.strictObject({
    alg: z.literal('X25519-HKDF-SHA256-A256GCM'),
    ephemeralKey: ZRawKey,
    iv: z.string().regex(/^[A-Za-z0-9_-]{16}$/, 'must be 12 bytes in base64url'),
    ciphertext: ZBase64Url(200),
    tag: z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'must be 16 bytes in base64url'),
  }),
});
export type TOfflineResponseFile = z.infer<typeof ZOfflineResponseFile>;

/** Additional authenticated data of the credential: it can't be moved to another response. */
export const offlineResponseAad = (file: Pick<TOfflineResponseFile, 'requestId' | 'instanceId' | 'registrationId'>) =>
  JSON.stringify([OFFLINE_FORMATS.response, file.requestId, file.instanceId, file.registrationId]);

/** The response file's name: `registration-<server name>.json`, kept to characters every system allows. */
export const responseFileName = (serverName: string) =>
  `registration-${serverName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100)}.json`;

/** HKDF info strings: one key per purpose, never shared. */
export const OFFLINE_HKDF_INFO = {
  responseKey: 'reg-offline-response/1 credential',
  usageKey: 'usage-offline-report/1 hmac',
} as const;

/** A usage file (gzip of this JSON). `report` is the report's exact JSON text, the bytes the MAC covers. */
export const ZOfflineUsageFile = z.strictObject({
  format: z.literal(OFFLINE_FORMATS.usage),
  registrationId: ZUuid,
  instanceId: ZUuid,
  reportId: ZUuid,
  report: z.string(),
  /** HMAC-SHA256 over the UTF-8 bytes of `report`, keyed with the registration's usage key. */
  mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'must be 32 bytes in base64url'),
});
export type TOfflineUsageFile = z.infer<typeof ZOfflineUsageFile>;

/** What the console shows before Register: what the file says and when it was made. */
export const ZOfflineRequestPreview = ZCodePreview.pick({
  product: true,
  productVersion: true,
  serverName: true,
  hostname: true,
  os: true,
  instanceId: true,
}).extend({
  requestId: ZUuid,
  createdAt: ZTimestamp,
  /** What about the file deserves a second look (its age, a time ahead of the cloud's clock), in words. */
  warnings: z.array(z.string()),
});
export type TOfflineRequestPreview = z.infer<typeof ZOfflineRequestPreview>;

export const USAGE_FILE_OUTCOMES = ['accepted', 'duplicate', 'refused'] as const;

export const ZUsageFileResult = z.object({
  file: z.string(),
  outcome: z.enum(USAGE_FILE_OUTCOMES),
  reportId: ZUuid.nullable(),
  /** Records stored (0 for a duplicate or a refusal). */
  accepted: z.number().int(),
  /** Why a file was refused: the same codes as online uploads where they apply (report_conflict, registration_removed). */
  error: z.string().optional(),
  message: z.string().optional(),
});
export type TUsageFileResult = z.infer<typeof ZUsageFileResult>;

export const ZUsageFilesResult = z.object({
  results: z.array(ZUsageFileResult),
  accepted: z.number().int(),
  duplicate: z.number().int(),
  refused: z.number().int(),
});
export type TUsageFilesResult = z.infer<typeof ZUsageFilesResult>;
