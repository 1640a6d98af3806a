import { randomBytes } from 'node:crypto';
import type { Db } from '@reg/db/client';
import type { Config } from '../config.ts';
import { storedSecretOr } from './secrets.repository.ts';

export interface Secrets {
  sessionSecret: string;
  codeHmacSecret: string;
}

/**
 * From the environment when set (required in production, see config.ts); elsewhere
 * generated once and kept in the database, so every instance on one database agrees.
 */
export async function resolveSecrets(db: Db, config: Config): Promise<Secrets> {
  return {
    sessionSecret: config.SESSION_SECRET ?? (await storedSecret(db, 'SESSION_SECRET')),
    codeHmacSecret: config.CODE_HMAC_SECRET ?? (await storedSecret(db, 'CODE_HMAC_SECRET')),
  };
}

function storedSecret(db: Db, name: string): Promise<string> {
  return storedSecretOr(db, name, randomBytes(32).toString('base64url'));
}
