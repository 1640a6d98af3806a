import { z } from 'zod';
import { ZTimestamp, ZUuid, nonEmptyText } from './common.ts';

export const ZApiClient = z.object({
  id: ZUuid,
  name: z.string(),
  createdAt: ZTimestamp,
  createdBy: z.string(),
  lastUsedAt: ZTimestamp.nullable(),
});
export type TApiClient = z.infer<typeof ZApiClient>;

export const ZApiClientList = z.object({ items: z.array(ZApiClient) });
export type TApiClientList = z.infer<typeof ZApiClientList>;

export const ZCreateApiClientRequest = z.strictObject({ name: nonEmptyText(100) });
export type TCreateApiClientRequest = z.infer<typeof ZCreateApiClientRequest>;

/** The secret is in this answer only: it is stored as a hash and never shown again. */
export const ZCreatedApiClient = z.object({
  client: ZApiClient,
  clientId: ZUuid,
  clientSecret: z.string(),
});
export type TCreatedApiClient = z.infer<typeof ZCreatedApiClient>;

/** OAuth 2.0 client credentials (RFC 6749 §4.4), as JSON or form-encoded. */
export const ZTokenRequest = z.strictObject({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().max(64),
  client_secret: z.string().max(200),
});
export type TTokenRequest = z.infer<typeof ZTokenRequest>;

export const ZTokenResponse = z.object({
  access_token: z.string(),
  token_type: z.literal('Bearer'),
  expires_in: z.number().int(),
});
export type TTokenResponse = z.infer<typeof ZTokenResponse>;
