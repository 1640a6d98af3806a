import { randomBytes } from 'node:crypto';
import { ConfigError, type Config } from './config.ts';
import type { AdminService } from './modules/admins/admins.service.ts';

/** The first admin's sign-in, printed by server.ts once the server is ready. */
interface FirstSignIn {
  email: string;
  /** Made up here and shown once; undefined when SEED_ADMIN_PASSWORD chose it. */
  generatedPassword?: string;
}

const SEED_SETTINGS = ['SEED_CUSTOMER_NAME', 'SEED_ADMIN_EMAIL', 'SEED_ADMIN_PASSWORD'] as const;
type SeedConfig = Pick<Config, 'NODE_ENV' | 'SEED_ADMIN_PASSWORD_PERMANENT' | (typeof SEED_SETTINGS)[number]>;

/**
 * On an empty database, the first customer and admin: from SEED_*, else made up. On a database
 * that has customers, SEED_* change nothing, and whoever set them is told so rather than left
 * wondering why their password does not work. In production the password must be given: a
 * made-up one would land in the logs of whatever runs the container, and a default one is known
 * to everyone.
 */
export async function seedIfEmpty(
  admins: Pick<AdminService, 'hasCustomers' | 'createCustomer'>,
  config: SeedConfig,
  print: (line: string) => void,
): Promise<FirstSignIn | null> {
  if (await admins.hasCustomers()) {
    const given = SEED_SETTINGS.filter((name) => config[name] !== undefined);
    if (given.length)
      print(
        `Ignored ${given.join(', ')}: SEED_* settings only seed an empty database, and this one already has customers (add admins with npm run admin).`,
      );
    return null;
  }
  if (config.NODE_ENV === 'production' && !config.SEED_ADMIN_PASSWORD) {
    throw new ConfigError(
      'Invalid configuration: SEED_ADMIN_PASSWORD required in production to create the first admin (the database is empty). Set it to a password of your choice (8 characters or more), with SEED_ADMIN_EMAIL.',
    );
  }
  const name = config.SEED_CUSTOMER_NAME ?? 'My Company';
  const email = (config.SEED_ADMIN_EMAIL ?? 'admin@example.com').toLowerCase();
  const password = config.SEED_ADMIN_PASSWORD ?? randomBytes(9).toString('base64url');
  // Through the admins service, as the operator CLI and the console add admins, and audited alike.
  await admins.createCustomer(
    { type: 'operator', label: 'First start (SEED_* settings)' },
    // Temporary unless SEED_ADMIN_PASSWORD_PERMANENT: whoever reads it in a log or a compose file
    // should not keep it, so the first sign-in must change it.
    { name, email, password, role: 'full', permanent: config.SEED_ADMIN_PASSWORD_PERMANENT },
  );
  print(`Created customer "${name}" with admin ${email}`);
  return { email, generatedPassword: config.SEED_ADMIN_PASSWORD ? undefined : password };
}

/** The sign-in set apart in a box, so it stands out from the build output and request logs. */
export function formatFirstSignIn(signIn: FirstSignIn, publicUrl: string): string {
  const lines = [
    'First start: sign in to the console with',
    `  URL:      ${publicUrl}`,
    `  email:    ${signIn.email}`,
    signIn.generatedPassword
      ? `  password: ${signIn.generatedPassword}   (shown once; set SEED_ADMIN_PASSWORD to choose it)`
      : '  password: the one in SEED_ADMIN_PASSWORD',
  ];
  const width = Math.max(...lines.map((line) => line.length)) + 2;
  const rule = '─'.repeat(width);
  return ['', `┌${rule}┐`, ...lines.map((line) => `│ ${line.padEnd(width - 2)} │`), `└${rule}┘`, ''].join('\n');
}
