import { randomBytes } from 'node:crypto';
import type { Db } from '@reg/db/client';
import { ConfigError, type Config } from './config.ts';
import { hashPassword } from './lib/crypto.ts';

/**
 * On an empty database, the first customer and admin: from SEED_*, else made up and printed
 * once. In production the password must be given: a made-up one would land in the logs of
 * whatever runs the container, and a default one is known to everyone.
 */
export async function seedIfEmpty(
  db: Db,
  config: Pick<Config, 'NODE_ENV' | 'SEED_CUSTOMER_NAME' | 'SEED_ADMIN_EMAIL' | 'SEED_ADMIN_PASSWORD'>,
  print: (line: string) => void,
): Promise<void> {
  if ((await db.customer.count()) > 0) return;
  if (config.NODE_ENV === 'production' && !config.SEED_ADMIN_PASSWORD) {
    throw new ConfigError(
      'Invalid configuration: SEED_ADMIN_PASSWORD required in production to create the first admin (the database is empty). Set it to a password of your choice (8 characters or more), with SEED_ADMIN_EMAIL.',
    );
  }
  const name = config.SEED_CUSTOMER_NAME ?? 'My Company';
  const email = (config.SEED_ADMIN_EMAIL ?? 'admin@example.com').toLowerCase();
  const password = config.SEED_ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');
  await createCustomerWithAdmin(db, { name, email, password });
  print(`Created customer "${name}" with admin ${email}`);
  if (!config.SEED_ADMIN_PASSWORD)
    print(`  password: ${password}   (shown once; set SEED_ADMIN_PASSWORD to choose it)`);
}

export async function createCustomerWithAdmin(db: Db, input: { name: string; email: string; password: string }) {
  const passwordHash = await hashPassword(input.password);
  return db.customer.create({
    data: { name: input.name, admins: { create: { email: input.email.toLowerCase(), passwordHash } } },
    include: { admins: true },
  });
}
