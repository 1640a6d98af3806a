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
 * A customer of its own with one admin, made by the operator CLI (`admin-cli.ts add-customer`)
 * on the server's embedded database (same DATA_DIR: it connects through postmaster.pid).
 */
export async function createAccount(label = 'account'): Promise<Account> {
  const id = unique(label);
  const account: Account = {
    customerName: `E2E ${id}`,
    email: `${id}@e2e.example.com`,
    password: `pw-${randomBytes(9).toString('base64url')}`,
  };
  const cli = new RunningProcess(
    'admin-cli add-customer',
    'apps/api/src/admin-cli.ts',
    [
      'add-customer',
      '--name',
      account.customerName,
      '--admin-email',
      account.email,
      '--admin-password',
      account.password,
      // The tests sign in with it: an operator's password is otherwise temporary (changed at first sign-in).
      '--permanent-password',
    ],
    { DATA_DIR: dataDir(), DATABASE_URL: '', NODE_ENV: '' },
  );
  const exit = await cli.waitForExit(60_000);
  if (exit.code !== 0) throw new Error(`add-customer failed (${exit.code}):\n${exit.stdout}\n${exit.stderr}`);
  return account;
}
