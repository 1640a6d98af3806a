import { randomBytes } from 'node:crypto';
import type { Db } from '@reg/db/client';
import type { Config } from './config.ts';
import { hashPassword } from './lib/crypto.ts';

/** On an empty database, the first customer and admin: from SEED_*, else made up and printed once. */
export async function seedIfEmpty(db: Db, config: Config, print: (line: string) => void): Promise<void> {
  if ((await db.customer.count()) > 0) return;
  const name = config.SEED_CUSTOMER_NAME ?? 'My Company';
  const email = (config.SEED_ADMIN_EMAIL ?? 'admin@example.com').toLowerCase();
  const password = config.SEED_ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');
  await createCustomerWithAdmin(db, { name, email, password });
  print(`Created customer "${name}" with admin ${email}`);
  if (!config.SEED_ADMIN_PASSWORD)
    print(`  password: ${password}   (shown once; set SEED_ADMIN_PASSWORD to choose it)`);
}

export async function createCustomerWithAdmin(
  db: Db,
  input: { name: string; email: string; password: string; role?: 'full' | 'read-only' },
) {
  const passwordHash = await hashPassword(input.password);
  return db.customer.create({
    data: {
      name: input.name,
      admins: { create: { email: input.email.toLowerCase(), passwordHash, role: input.role ?? 'full' } },
    },
    include: { admins: true },
  });
}
