import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDb, type Db } from '@reg/db/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_EXIT, operatorHelp, runOperatorCommand } from '../src/admin-cli.ts';
import { testConfig } from '../src/config.ts';
import { verifyPassword } from '../src/lib/crypto.ts';
import { formatFirstSignIn, seedIfEmpty } from '../src/seed.ts';
import { adminsOver } from './helpers/admins.ts';
import { emptyDatabase, testDatabase } from './helpers/database.ts';
import { createAdmin } from './helpers/factories.ts';

/**
 * The operator CLI (`npm run admin`) and the first start's seeding, on a real database: each
 * exit code and refusal, with the words an operator sees.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let db: Db;
let databaseUrl: string;
beforeAll(async () => {
  ({ db, url: databaseUrl } = await testDatabase());
});

/** Runs a command in this process; `stdin` is what standard input holds (for --password-stdin). */
async function adminWith(stdin: string | undefined, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOperatorCommand(
    argv,
    async () => ({ db, close: async () => undefined }),
    { out: (line) => out.push(line), err: (line) => err.push(line) },
    async () => stdin ?? expect.unreachable('standard input read'),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const admin = (...argv: string[]) => adminWith(undefined, ...argv);

const name = (label: string) => `${label} ${Math.random().toString(36).slice(2, 8)}`;
const email = (label: string) => `${label}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const PASSWORD = 'a long enough password';

describe('npm run admin', () => {
  it('without a command, exits 2 with the usage on stderr (the real process)', async () => {
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/api/src/admin-cli.ts'], {
      cwd: ROOT,
      timeout: 60_000,
    });
    const failure = await run.then(
      () => expect.unreachable('exit 0'),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure.code).toBe(OPERATOR_EXIT.usage);
    expect(failure.stderr).toContain('npm run admin -- add-customer');
    expect(failure.stderr).toContain('Exit codes:');
  });

  it('npm run admin (the built JavaScript, built first when stale) without a command exits 2 too', async () => {
    const failure = await promisify(execFile)(process.execPath, ['scripts/run-api.mjs', 'admin-cli'], {
      cwd: ROOT,
      timeout: 60_000,
    }).then(
      () => expect.unreachable('exit 0'),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure.code).toBe(OPERATOR_EXIT.usage);
    expect(failure.stderr).toContain('npm run admin -- add-customer');
  });

  it('--help prints the usage and exits 0; an unknown command exits 2', async () => {
    expect(await admin('--help')).toMatchObject({ code: OPERATOR_EXIT.ok, out: operatorHelp() });
    expect(operatorHelp()).toContain('--password-stdin');
    const unknown = await admin('add-custmer');
    expect(unknown.code).toBe(OPERATOR_EXIT.usage);
    expect(unknown.err).toMatch(/^error: unknown command "add-custmer"\.\nhint: /);
  });

  it('add-customer prints the new id, and refuses a second customer of the same name (case aside)', async () => {
    const customerName = name('Acme');
    const added = await admin(
      'add-customer',
      '--name',
      customerName,
      '--admin-email',
      email('a'),
      '--admin-password',
      PASSWORD,
    );
    expect(added.code).toBe(OPERATOR_EXIT.ok);
    const customer = await db.customer.findFirstOrThrow({ where: { name: customerName } });
    expect(added.out).toContain(`Customer id: ${customer.id}`);

    const again = await admin(
      'add-customer',
      '--name',
      customerName.toUpperCase(),
      '--admin-email',
      email('b'),
      '--admin-password',
      PASSWORD,
    );
    expect(again.code).toBe(OPERATOR_EXIT.refused);
    expect(again.err).toBe(
      `error: a customer named "${customerName}" already exists (${customer.id}).\nhint: Choose another name, or add admins to that customer with add-admin.`,
    );
    expect(await db.customer.count({ where: { name: { equals: customerName, mode: 'insensitive' } } })).toBe(1);
  });

  it('refuses an email already taken (4), wrong input (2) and an unknown customer (3)', async () => {
    const existing = await createAdmin(db);
    const taken = await admin(
      'add-admin',
      '--customer',
      existing.customer.name,
      '--email',
      existing.email,
      '--password',
      PASSWORD,
    );
    expect(taken).toMatchObject({
      code: OPERATOR_EXIT.refused,
      err: 'error: an admin with this email already exists.\nhint: Choose another email.',
    });
    const invalid = await admin(
      'add-admin',
      '--customer',
      existing.customer.name,
      '--email',
      'not an email',
      '--password',
      PASSWORD,
    );
    expect(invalid.code).toBe(OPERATOR_EXIT.usage);
    expect(invalid.err).toMatch(/^error: invalid input: /);
    const unknownFlag = await admin('remove-admin', '--mail', existing.email);
    expect(unknownFlag.code).toBe(OPERATOR_EXIT.usage);
    const nobody = await admin(
      'add-admin',
      '--customer',
      name('Nobody'),
      '--email',
      email('c'),
      '--password',
      PASSWORD,
    );
    expect(nobody.code).toBe(OPERATOR_EXIT.notFound);
    expect((await admin('remove-admin', '--email', email('gone'))).code).toBe(OPERATOR_EXIT.notFound);
  });

  it("remove-admin refuses a customer's last full admin, saying why, unless --force", async () => {
    const last = await createAdmin(db);
    const refused = await admin('remove-admin', '--email', last.email);
    expect(refused.code).toBe(OPERATOR_EXIT.refused);
    expect(refused.err).toBe(
      `error: ${last.email} is the last full admin of "${last.customer.name}": no one could manage its console afterwards.\nhint: Add another full admin first, or repeat with --force.`,
    );
    expect(await db.admin.count({ where: { id: last.id } })).toBe(1);

    const colleague = await createAdmin(db, last.customerId);
    expect((await admin('remove-admin', '--email', colleague.email)).code).toBe(OPERATOR_EXIT.ok);
    const forced = await admin('remove-admin', '--email', last.email, '--force');
    expect(forced).toMatchObject({
      code: OPERATOR_EXIT.ok,
      out: `Removed admin ${last.email}, ended their sessions and deleted their 0 API client(s).`,
    });
    expect(await db.admin.count({ where: { customerId: last.customerId } })).toBe(0);
  });

  it("applies the API's rule: the last full admin counts, not the last admin (a read-only one left is not enough)", async () => {
    const full = await createAdmin(db);
    const readOnly = await createAdmin(db, full.customerId);
    await db.admin.update({ where: { id: readOnly.id }, data: { role: 'read-only' } });
    expect((await admin('remove-admin', '--email', full.email)).code).toBe(OPERATOR_EXIT.refused);
    // A read-only admin may go even when last: the full admin is still there.
    expect((await admin('remove-admin', '--email', readOnly.email)).code).toBe(OPERATOR_EXIT.ok);
  });

  it('records the API clients the removed admin made in the audit, as the console does', async () => {
    const owner = await createAdmin(db);
    await createAdmin(db, owner.customerId);
    await db.apiClient.create({
      data: {
        customerId: owner.customerId,
        name: 'Nightly export',
        secretHash: 'x',
        createdByAdminId: owner.id,
        createdByEmail: owner.email,
        createdAt: new Date(),
      },
    });
    const removed = await admin('remove-admin', '--email', owner.email);
    expect(removed.out).toContain('deleted their 1 API client(s)');
    const event = await db.auditEvent.findFirstOrThrow({ where: { action: 'admin.removed', targetId: owner.id } });
    expect(event).toMatchObject({ actorType: 'operator', details: { role: 'full', deletedApiClients: 1 } });
  });

  it('--password-stdin reads the password from standard input, so it is in neither shell history nor ps', async () => {
    const customer = name('Stdin');
    const first = email('first');
    const added = await adminWith(
      `${PASSWORD}\n`,
      'add-customer',
      '--name',
      customer,
      '--admin-email',
      first,
      '--password-stdin',
    );
    expect(added.code).toBe(OPERATOR_EXIT.ok);
    const second = email('second');
    expect(
      (await adminWith(`${PASSWORD}\n`, 'add-admin', '--customer', customer, '--email', second, '--password-stdin'))
        .code,
    ).toBe(OPERATOR_EXIT.ok);
    for (const address of [first, second]) {
      const row = await db.person.findUniqueOrThrow({ where: { email: address } });
      // The line ending is not part of the password.
      expect(await verifyPassword(PASSWORD, row.passwordHash ?? '')).toBe(true);
    }
    const both = await adminWith(
      PASSWORD,
      'add-admin',
      '--customer',
      customer,
      '--email',
      email('x'),
      '--password',
      PASSWORD,
      '--password-stdin',
    );
    expect(both.code).toBe(OPERATOR_EXIT.usage);
    const short = await adminWith(
      'short\n',
      'add-admin',
      '--customer',
      customer,
      '--email',
      email('y'),
      '--password-stdin',
    );
    expect(short.code).toBe(OPERATOR_EXIT.usage);
  });

  it('--password-stdin in the real process reads the piped password', async () => {
    const customer = name('Piped');
    const address = email('piped');
    const { status, stderr } = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        'apps/api/src/admin-cli.ts',
        'add-customer',
        '--name',
        customer,
        '--admin-email',
        address,
        '--password-stdin',
      ],
      {
        cwd: ROOT,
        input: `${PASSWORD}\n`,
        env: { ...process.env, DATABASE_URL: databaseUrl },
        timeout: 60_000,
        encoding: 'utf8',
      },
    );
    expect(stderr).toBe('');
    expect(status).toBe(OPERATOR_EXIT.ok);
    const row = await db.person.findUniqueOrThrow({ where: { email: address } });
    expect(await verifyPassword(PASSWORD, row.passwordHash ?? '')).toBe(true);
  });
});

describe('first start', () => {
  let empty: Db;
  beforeAll(async () => {
    // A database of its own, empty: the worker's shared one has customers from other tests.
    empty = createDb(await emptyDatabase('seed'));
  });
  afterAll(() => empty?.$disconnect());

  it('seeds an empty database once, then says SEED_* were ignored', async () => {
    const lines: string[] = [];
    const first = await seedIfEmpty(adminsOver(empty), testConfig(), (line) => lines.push(line));
    expect(first).toMatchObject({ email: 'admin@example.com', generatedPassword: expect.any(String) });
    expect(lines).toEqual(['Created customer "My Company" with admin admin@example.com']);

    const box = formatFirstSignIn(first!, 'http://localhost:8080');
    expect(box).toContain('URL:      http://localhost:8080');
    expect(box).toContain(`password: ${first!.generatedPassword}`);
    expect(box.startsWith('\n┌')).toBe(true);

    lines.length = 0;
    const config = testConfig({ SEED_ADMIN_EMAIL: 'you@acme.example', SEED_ADMIN_PASSWORD: PASSWORD });
    expect(await seedIfEmpty(adminsOver(empty), config, (line) => lines.push(line))).toBeNull();
    expect(lines).toEqual([
      'Ignored SEED_ADMIN_EMAIL, SEED_ADMIN_PASSWORD: SEED_* settings only seed an empty database, and this one already has customers (add admins with npm run admin).',
    ]);
    expect(await empty.admin.count()).toBe(1);

    lines.length = 0;
    expect(await seedIfEmpty(adminsOver(empty), testConfig(), (line) => lines.push(line))).toBeNull();
    expect(lines).toEqual([]);
  });
});
