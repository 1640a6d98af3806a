import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'])
  .transform((value) => ['true', '1', 'yes', 'on'].includes(value));
const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

const ZEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: int(8080, 0).pipe(z.number().max(65_535)),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  CODE_TTL_SECONDS: int(900, 60),
  POLL_INTERVAL_SECONDS: int(5, 1),
  MIN_PRODUCT_VERSION: z
    .string()
    .regex(/^\d+(\.\d+){0,3}$/, 'must be a dotted version')
    .default('11.15.0.0'),
  NOT_REPORTING_AFTER_HOURS: int(48, 1),
  SESSION_IDLE_MINUTES: int(30, 1),
  SESSION_MAX_HOURS: int(12, 1),
  /** off, true, a hop count, or a comma-separated list of addresses/CIDRs (Fastify's trustProxy). */
  TRUST_PROXY: z.string().default('off'),
  /** Default: warn in development (request logs would bury the first start's sign-in box), info in production. */
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  CODE_HMAC_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  LIMIT_CODE_LOOKUP_FAILURES_PER_ADMIN: int(10, 1),
  LIMIT_CODE_LOOKUP_FAILURES_PER_CUSTOMER: int(50, 1),
  LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS: int(10, 1),
  LIMIT_SIGNIN_FAILURES_PER_EMAIL: int(100, 1),
  LIMIT_SIGNIN_FAILURES_PER_ADDRESS: int(100, 1),
  /** Failed sign-ins per IPv6 /48 (a site: one holder has 65,536 /64s of it). */
  LIMIT_SIGNIN_FAILURES_PER_NETWORK: int(200, 1),
  LIMIT_CODE_REQUESTS_PER_MINUTE: int(60, 1),
  /** Failed sign-ins per minute from everywhere together: beyond it every sign-in waits (429). */
  LIMIT_SIGNIN_FAILURES_PER_MINUTE: int(300, 1),
  /** Refused registration keys per source address in 15 minutes; then every key registration from it is 429. */
  LIMIT_REGISTRATION_KEY_FAILURES_PER_ADDRESS: int(20, 1),
  /** Passwords hashed at once (scrypt, on libuv's thread pool that gzip and DNS share too)… */
  SIGNIN_HASHING_CONCURRENCY: int(2, 1),
  /** …and sign-ins waiting for their turn; beyond that they are refused at once (503). */
  SIGNIN_HASHING_QUEUE: int(32, 0),
  SERVE_CONSOLE: bool.default(true),
  DB_POOL_SIZE: int(10, 1),
  /** smtp:// or smtps:// with user and password in it; `log` (not in production) prints mails to the log. */
  SMTP_URL: z
    .string()
    .regex(/^(smtps?:\/\/.+|log)$/, 'must be an smtp:// or smtps:// URL (or "log" outside production)')
    .optional(),
  MAIL_FROM: z.string().min(3).max(320).default('License Registration <notifications@localhost>'),
  NOTIFY_SWEEP_SECONDS: int(60, 1),
  /** The expiring and ending window in days, and the first licenses.expiring threshold (then 7 and 1). */
  EXPIRY_WARNING_DAYS: int(30, 1).pipe(z.number().max(365)),
  WEBHOOK_TIMEOUT_MS: int(10_000, 100),
  /** Webhook receivers on loopback or private addresses: refused in every deployment unless set. */
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  /** PostgreSQL's statement_timeout on every connection; the client gives up a second later by itself. */
  DB_STATEMENT_TIMEOUT_MS: int(5_000, 100),
  /** Most time to connect to PostgreSQL or to wait for a free connection of the pool. */
  DB_CONNECT_TIMEOUT_MS: int(3_000, 100),
  /** `transaction` behind PgBouncer in transaction mode: no startup parameters, no named statements. */
  DATABASE_POOL_MODE: z.enum(['session', 'transaction']).default('session'),
  /** Prometheus metrics at GET /metrics on this port of METRICS_HOST; 0: not served. */
  METRICS_PORT: int(0, 0).pipe(z.number().max(65_535)),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** A direct connection for migrations when DATABASE_URL goes through a pooler (optional). */
  MIGRATION_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  /**
   * Every request is answered within this (503 unavailable after it), whatever the database
   * does; idempotent work that failed on the connection is retried only while it allows.
   */
  REQUEST_TIMEOUT_MS: int(8_000, 500),
  SEED_CUSTOMER_NAME: z.string().min(1).max(255).optional(),
  SEED_ADMIN_EMAIL: z.email().max(254).optional(),
  SEED_ADMIN_PASSWORD: z.string().min(8).max(256).optional(),
  /** The seeded admin's password is not temporary (automation that signs in with it). */
  SEED_ADMIN_PASSWORD_PERMANENT: bool.default(false),
  /** Password reset requests per email an hour, and per source address an hour. */
  LIMIT_PASSWORD_RESETS_PER_EMAIL: int(5, 1),
  LIMIT_PASSWORD_RESETS_PER_ADDRESS: int(50, 1),
  /** The issuer an authenticator app shows beside the account when two-step verification is set up. */
  TOTP_ISSUER: z.string().min(1).max(100).default('Cloud Console'),
});

export type Env = z.infer<typeof ZEnv>;

export interface Config extends Omit<Env, 'PUBLIC_URL' | 'TRUST_PROXY' | 'LOG_LEVEL'> {
  LOG_LEVEL: NonNullable<Env['LOG_LEVEL']>;
  PUBLIC_URL: string;
  TRUST_PROXY: boolean | number | string[];
}

export class ConfigError extends Error {}

/** Parses the environment once; a bad value names the variable and stops the process. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const given = emptyAsUnset(env);
  const parsed = ZEnv.safeParse(given);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${describeIssue(issue, given)}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const value = parsed.data;
  if (value.NODE_ENV === 'production') {
    const missing = (['SESSION_SECRET', 'CODE_HMAC_SECRET', 'DATABASE_URL', 'PUBLIC_URL'] as const).filter(
      (name) => !value[name],
    );
    if (missing.length) throw new ConfigError(`Invalid configuration: ${missing.join(', ')} required in production`);
    if (value.SMTP_URL === 'log')
      throw new ConfigError(
        'Invalid configuration:\n  SMTP_URL: "log" is for development; give an smtp:// or smtps:// URL',
      );
  }
  return Object.freeze({
    ...value,
    PUBLIC_URL: (value.PUBLIC_URL ?? `http://localhost:${value.PORT}`).replace(/\/+$/, ''),
    TRUST_PROXY: parseTrustProxy(value.TRUST_PROXY),
    LOG_LEVEL: value.LOG_LEVEL ?? (value.NODE_ENV === 'production' ? 'info' : 'warn'),
  });
}

/** Values that must never reach a log, not even when they are wrong. */
const SECRET_SETTINGS = new Set([
  'SESSION_SECRET',
  'CODE_HMAC_SECRET',
  'SEED_ADMIN_PASSWORD',
  'DATABASE_URL',
  'SMTP_URL',
]);

/**
 * "PORT: expected a whole number, received "abc"": the variable, what was wrong, and the value as
 * it was given (zod's own "received NaN" speaks of the value after coercion, which helps no one).
 * Secrets, and URLs that may hold a password, are never quoted.
 */
function describeIssue(issue: z.core.$ZodIssue, given: Record<string, string>): string {
  const name = issue.path.join('.');
  const value = given[name];
  const message = plainMessage(issue);
  if (value === undefined || SECRET_SETTINGS.has(name)) return `${name}: ${message}`;
  return `${name}: ${message}, received ${JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)}`;
}

function plainMessage(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type' && ['number', 'int'].includes(issue.expected)) return 'expected a whole number';
  if (issue.code === 'too_big' && issue.origin === 'number') return `must be at most ${issue.maximum}`;
  if (issue.code === 'too_small' && issue.origin === 'number') return `must be at least ${issue.minimum}`;
  return issue.message.replace(/, received .*$/, '');
}

function emptyAsUnset(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}

function parseTrustProxy(value: string): boolean | number | string[] {
  if (['off', 'false', '0', 'no'].includes(value)) return false;
  if (['on', 'true', 'yes'].includes(value)) return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
}

/** Settings for tests: the defaults, with overrides. */
export function testConfig(overrides: Partial<Config> = {}): Readonly<Config> {
  return Object.freeze({
    ...loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      // Set by the tests' global setup when the suite runs through PgBouncer.
      DATABASE_POOL_MODE: process.env.DATABASE_POOL_MODE,
      // As the tests' database has a long statement timeout (helpers/database.ts): requests that
      // seed much data on a loaded machine are not cut short; tests of the deadline set their own.
      REQUEST_TIMEOUT_MS: '60000',
    }),
    ...overrides,
  });
}
