import { z } from 'zod';
import { ZCustomerRef, ZTimestamp, ZUuid, nameText, nonEmptyText, text } from './common.ts';
import { VERSION_PATTERN } from './version.ts';

export const ZProductVersion = z.string().max(64).regex(VERSION_PATTERN, 'must be a dotted version such as 11.17.2.0');

export const ZRequestCodeRequest = z.strictObject({
  product: nonEmptyText(64),
  productVersion: ZProductVersion,
  instanceId: ZUuid,
  serverName: nameText(255),
  hostname: nameText(253),
  os: text(255).optional(),
  usageSharing: z.boolean(),
});
export type TRequestCodeRequest = z.infer<typeof ZRequestCodeRequest>;

export const ZRequestCodeResponse = z.object({
  code: z.string(),
  pollToken: z.string(),
  expiresAt: ZTimestamp,
  expiresIn: z.number().int(),
  interval: z.number().int(),
  verificationUri: z.string(),
  verificationUriComplete: z.string(),
});
export type TRequestCodeResponse = z.infer<typeof ZRequestCodeResponse>;

export const ZPollRequest = z.strictObject({ pollToken: z.string().min(1).max(200) });
export type TPollRequest = z.infer<typeof ZPollRequest>;

export const ZPollPending = z.object({ status: z.literal('pending'), interval: z.number().int() });
export const ZPollRegistered = z.object({
  status: z.literal('registered'),
  registrationId: ZUuid,
  credential: z.string(),
  customer: ZCustomerRef,
  registeredAt: ZTimestamp,
});
export type TPollRegistered = z.infer<typeof ZPollRegistered>;
export const ZPollResponse = z.union([ZPollPending, ZPollRegistered]);
export type TPollResponse = z.infer<typeof ZPollResponse>;

export const ZSlowDown = z.object({ error: z.literal('slow_down'), message: z.string(), interval: z.number().int() });

export const ZRegistrationStatusResponse = z.object({
  registrationId: ZUuid,
  status: z.literal('active'),
  customer: ZCustomerRef,
  registeredAt: ZTimestamp,
  lastContactAt: ZTimestamp.nullable(),
});
export type TRegistrationStatusResponse = z.infer<typeof ZRegistrationStatusResponse>;

/** Register by registration key: the code request's fields and the key (never stored, never logged). */
export const ZKeyRegistrationRequest = ZRequestCodeRequest.extend({
  registrationKey: z.string().min(1).max(200),
});
export type TKeyRegistrationRequest = z.infer<typeof ZKeyRegistrationRequest>;

/** 202: the key wants an admin's approval; the product polls POST /codes/poll with `pollToken`. */
export const ZKeyRegistrationPending = z.object({
  status: z.literal('pending-approval'),
  registrationId: ZUuid,
  pollToken: z.string(),
  interval: z.number().int(),
  customer: ZCustomerRef,
  verificationUri: z.string(),
});
export type TKeyRegistrationPending = z.infer<typeof ZKeyRegistrationPending>;

/**
 * The header naming the machine a product runs on (clone detection, docs/protocol.md): opaque to
 * the cloud, 16 to 128 of A-Z, a-z, 0-9, '.', '_', ':' and '-'. Optional; a malformed one is 400.
 */
export const MACHINE_FINGERPRINT_HEADER = 'x-machine-fingerprint';
export const ZMachineFingerprint = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{16,128}$/, 'must be 16 to 128 of A-Z, a-z, 0-9, ., _, : and -');
