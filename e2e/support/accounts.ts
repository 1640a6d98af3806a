import { randomBytes } from 'node:crypto';
import { dataDir } from './env.ts';
import { RunningProcess } from './process.ts';

export interface Account {
  customerName: string;
  email: string;
  password: string;
}

/** A short random suffix that keeps names unique across tests, workers and runs. */
export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/**
 * Runs the operator CLI (`admin-cli.ts`) on the e2e server's embedded database (same DATA_DIR:
 * it connects through postmaster.pid); fails the test on a non-zero exit.
 */
export async function operator(args: string[]): Promise<string> {
  const cli = new RunningProcess(`admin-cli ${args[0]}`, 'apps/api/src/admin-cli.ts', args, {
    DATA_DIR: dataDir(),
    DATABASE_URL: '',
    NODE_ENV: '',
  });
  const exit = await cli.waitForExit(60_000);
  if (exit.code !== 0)
    throw new Error(`admin-cli ${args.join(' ')} failed (${exit.code}):\n${exit.stdout}\n${exit.stderr}`);
  return exit.stdout;
}

/**
 * A customer of its own with one admin, made by the operator CLI (`add-customer`). The tests
 * sign in with the password as it is, unless `temporaryPassword` (an operator's password is
 * otherwise temporary, changed at first sign-in).
 */
export async function createAccount(
  label = 'account',
  { password = `pw-${randomBytes(9).toString('base64url')}`, temporaryPassword = false } = {},
): Promise<Account> {
  const id = unique(label);
  const account: Account = { customerName: `E2E ${id}`, email: `${id}@e2e.example.com`, password };
  await operator([
    'add-customer',
    '--name',
    account.customerName,
    '--admin-email',
    account.email,
    '--admin-password',
    account.password,
    ...(temporaryPassword ? [] : ['--permanent-password']),
  ]);
  return account;
}
