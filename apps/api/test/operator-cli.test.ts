import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDb, type Db } from '@reg/db/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_EXIT, runOperatorCommand, USAGE } from '../src/admin-cli.ts';
import { testConfig } from '../src/config.ts';
import { formatFirstSignIn, seedIfEmpty } from '../src/seed.ts';
import { emptyDatabase, testDatabase } from './helpers/database.ts';
import { createAdmin } from './helpers/factories.ts';

/**
 * The operator CLI (`npm run admin`) and the first start's seeding, on a real database: each
 * exit code and refusal, with the words an operator sees.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
let db: Db;
beforeAll(async () => {
  ({ db } = await testDatabase());
});

async function admin(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runOperatorCommand(argv, async () => ({ db, close: async () => undefined }), {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

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
    expect(await admin('--help')).toMatchObject({ code: OPERATOR_EXIT.ok, out: USAGE });
    const unknown = await admin('add-custmer');
    expect(unknown.code).toBe(OPERATOR_EXIT.usage);
    expect(unknown.err).toMatch(/^Unknown command "add-custmer"\./);
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
    expect(again.err).toBe(`A customer named "${customerName}" already exists (${customer.id}); choose another name.`);
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
    expect(taken).toMatchObject({ code: OPERATOR_EXIT.refused, err: 'An admin with this email already exists.' });
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
    expect(invalid.err).toMatch(/^Invalid input: /);
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

  it("remove-admin refuses a customer's last admin, saying why, unless --force", async () => {
    const last = await createAdmin(db);
    const refused = await admin('remove-admin', '--email', last.email);
    expect(refused.code).toBe(OPERATOR_EXIT.refused);
    expect(refused.err).toBe(
      `${last.email} is the last admin of "${last.customer.name}": no one could sign in to its console afterwards. Add another admin first, or repeat with --force.`,
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
    const first = await seedIfEmpty(empty, testConfig(), (line) => lines.push(line));
    expect(first).toMatchObject({ email: 'admin@example.com', generatedPassword: expect.any(String) });
    expect(lines).toEqual(['Created customer "My Company" with admin admin@example.com']);

    const box = formatFirstSignIn(first!, 'http://localhost:8080');
    expect(box).toContain('URL:      http://localhost:8080');
    expect(box).toContain(`password: ${first!.generatedPassword}`);
    expect(box.startsWith('\n┌')).toBe(true);

    lines.length = 0;
    const config = testConfig({ SEED_ADMIN_EMAIL: 'you@acme.example', SEED_ADMIN_PASSWORD: PASSWORD });
    expect(await seedIfEmpty(empty, config, (line) => lines.push(line))).toBeNull();
    expect(lines).toEqual([
      'Ignored SEED_ADMIN_EMAIL, SEED_ADMIN_PASSWORD: SEED_* settings only seed an empty database, and this one already has customers (add admins with npm run admin).',
    ]);
    expect(await empty.admin.count()).toBe(1);

    lines.length = 0;
    expect(await seedIfEmpty(empty, testConfig(), (line) => lines.push(line))).toBeNull();
    expect(lines).toEqual([]);
  });
});
