import { describe, expect, it } from 'vitest';
import { testConfig, ConfigError } from '../src/config.ts';
import { verifyPassword } from '../src/lib/crypto.ts';
import { seedIfEmpty } from '../src/seed.ts';
import { adminsOver } from './helpers/admins.ts';
import { testDatabase } from './helpers/database.ts';

/** The first admin on an empty database: in production only with a password chosen by whoever runs it. */
describe('seed', () => {
  it('refuses to make up the first admin password in production, then seeds with the one given', async () => {
    // This file's own database, cloned from the empty template.
    const { db } = await testDatabase();
    expect(await db.customer.count()).toBe(0);
    const printed: string[] = [];
    const production = testConfig({ NODE_ENV: 'production', SEED_ADMIN_EMAIL: 'first@example.com' });
    const refused = seedIfEmpty(adminsOver(db), production, (line) => printed.push(line));
    await expect(refused).rejects.toBeInstanceOf(ConfigError);
    await expect(refused).rejects.toThrow(/SEED_ADMIN_PASSWORD required in production/);
    expect(await db.customer.count()).toBe(0);

    await seedIfEmpty(adminsOver(db), { ...production, SEED_ADMIN_PASSWORD: 'a chosen password' }, (line) =>
      printed.push(line),
    );
    const admin = await db.person.findUniqueOrThrow({ where: { email: 'first@example.com' } });
    const membership = await db.admin.findFirstOrThrow({ where: { personId: admin.id } });
    expect(await verifyPassword('a chosen password', admin.passwordHash ?? '')).toBe(true);
    expect(printed.join('\n')).not.toContain('password');

    // Made through the admins service, so audited as the console's additions are.
    const added = await db.auditEvent.findFirstOrThrow({ where: { action: 'admin.added', targetId: membership.id } });
    expect(added).toMatchObject({ actorType: 'operator', actorLabel: 'First start (SEED_* settings)' });

    // A database that has its customers needs no seed, so no password either.
    await expect(seedIfEmpty(adminsOver(db), production, () => undefined)).resolves.toBeNull();
  });
});
