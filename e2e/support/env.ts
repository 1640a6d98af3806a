import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The monorepo root: the server and the CLIs run from there (their `--import tsx` resolves there). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The customer and admin the server seeds on its empty database. Tests don't use them for
 * their data (each test makes its own customer, see fixtures.ts); global setup checks them.
 */
export const SEED = {
  customerName: 'E2E Seed Company',
  email: 'seed-admin@e2e.example.com',
  password: 'seed-password-e2e-1',
} as const;

export function baseUrl(): string {
  const url = process.env.E2E_BASE_URL;
  if (!url)
    throw new Error(
      'E2E_BASE_URL is not set: run the tests with `playwright test` (global-setup.ts starts the server).',
    );
  return url;
}

export function dataDir(): string {
  const dir = process.env.E2E_DATA_DIR;
  if (!dir) throw new Error('E2E_DATA_DIR is not set: global-setup.ts did not run.');
  return dir;
}
