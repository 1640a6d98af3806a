import { CONSOLE_PATHS } from '@reg/contracts/console-paths';
import type { TPollResponse, TRequestCodeRequest, TRequestCodeResponse } from '@reg/contracts/product-api';
import { compareVersions } from '@reg/contracts/version';
import type { Db } from '@reg/db/client';
import type { Config } from '../../config.ts';
import type { Clock } from '../../lib/clock.ts';
import { hmacSha256, randomSecret, sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { pooledRandomCode, pooledRandomSecret } from '../../lib/random-pool.ts';
import { createCodeRepository, type CodeRow } from './codes.repository.ts';
import { createGroupCommit } from './group-commit.ts';

const SUPPORTED_PRODUCTS = ['license-server'];
/** RFC 8628 §3.5: each slow_down adds 5 seconds to the interval. */
const SLOW_DOWN_STEP_SECONDS = 5;
/** Polls at least this share of the interval apart are never told to slow down (network jitter). */
const JITTER_TOLERANCE = 0.8;

interface Deps {
  db: Db;
  clock: Clock;
  config: Pick<
    Config,
    | 'CODE_TTL_SECONDS'
    | 'POLL_INTERVAL_SECONDS'
    | 'MIN_PRODUCT_VERSION'
    | 'PUBLIC_URL'
    | 'DB_STATEMENT_TIMEOUT_MS'
    | 'DB_CONNECT_TIMEOUT_MS'
  >;
  codeHmacSecret: string;
  /** Makes a random code; tests pass their own to make codes collide. */
  generateCode?: () => string;
}

/** What the cloud registers, by code or by request file: a supported product, recent enough, sharing usage. */
export function checkRegistrable(
  input: Pick<TRequestCodeRequest, 'product' | 'productVersion' | 'usageSharing'>,
  minimumVersion: string,
): void {
  if (!SUPPORTED_PRODUCTS.includes(input.product)) {
    throw new AppError(
      'unsupported_product',
      `Product "${input.product}" can't be registered; only license-server can.`,
    );
  }
  if (compareVersions(input.productVersion, minimumVersion) < 0) {
    throw new AppError(
      'unsupported_product_version',
      `Version ${input.productVersion} is too old to register; upgrade to ${minimumVersion} or later.`,
      { minimumVersion },
    );
  }
  if (!input.usageSharing) {
    throw new AppError('usage_sharing_required', 'Turn usage sharing on in Usage and Statistics, then register again.');
  }
}

export function createCodeService({ db, clock, config, codeHmacSecret, generateCode = pooledRandomCode }: Deps) {
  const codes = createCodeRepository(db);
  const verificationUri = `${config.PUBLIC_URL}${CONSOLE_PATHS.productRegistrations}`;

  async function requestCode(input: TRequestCodeRequest, requestedFrom: string): Promise<TRequestCodeResponse> {
    checkRegistrable(input, config.MIN_PRODUCT_VERSION);
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + config.CODE_TTL_SECONDS * 1000);
    // 40 bits among few live codes: a collision is rare, and the unique index catches it.
    for (let attempt = 0; ; attempt++) {
      const code = generateCode();
      const pollToken = pooledRandomSecret();
      const pollTokenHash = sha256(pollToken);
      const inserted = await insertCode({
        id: codeIdOf(pollTokenHash),
        code_hash: hmacSha256(codeHmacSecret, code),
        poll_token_hash: pollTokenHash,
        product: input.product,
        product_version: input.productVersion,
        instance_id: input.instanceId,
        server_name: input.serverName,
        hostname: input.hostname,
        os: input.os ?? null,
        requested_from: requestedFrom,
        requested_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        interval: config.POLL_INTERVAL_SECONDS,
      });
      if (inserted) {
        return {
          code,
          pollToken,
          expiresAt: expiresAt.toISOString(),
          expiresIn: config.CODE_TTL_SECONDS,
          interval: config.POLL_INTERVAL_SECONDS,
          verificationUri,
          verificationUriComplete: `${verificationUri}?code=${code}`,
        };
      }
      if (attempt >= 5) throw new Error('No free registration code after 6 attempts.');
    }
  }

  /**
   * Code rows of concurrent requests go in together: one INSERT (codes.repository.ts, on
   * node-postgres directly) and one commit per batch, each request answered after that commit
   * (group-commit.ts). A batch that hit a unique index (a code already taken, or two alike in
   * the batch) is stored not at all, and all its requests try again with new codes.
   */
  const insertCode = createGroupCommit<CodeRow, boolean>(
    async (rows) => {
      const stored = await codes.insertCodes(rows);
      return rows.map(() => stored);
    },
    // One batch at a time, per process: while it commits the next fills. Under load that makes
    // batches as large as the requests waiting, and PostgreSQL's cost per code is mostly per
    // statement and commit (in the bench: 0.043 ms a code one at a time, 0.065 with two, 0.09
    // with four). An idle service still writes a lone request at once.
    // A batch that hangs (a frozen database) fails its requests with 503 once a connection and
    // the statement should both have been had; then the next batch goes.
    {
      maxBatch: 500,
      maxInFlight: 1,
      timeoutMs: config.DB_CONNECT_TIMEOUT_MS + config.DB_STATEMENT_TIMEOUT_MS + 1_000,
    },
  );

  async function poll(pollToken: string): Promise<TPollResponse> {
    const pollTokenHash = sha256(pollToken);
    const found = await codes.findCode(codeIdOf(pollTokenHash));
    // The whole hash must match, not only the 122 bits of it in the id.
    if (found?.pollTokenHash !== pollTokenHash) throw new AppError('invalid_poll_token');
    const now = clock.now();
    if (found.status === 'denied') throw denied();
    if (found.status === 'registered') return deliver(found.id, now);
    // A registration-key request waiting for approval (it points at its registration) never expires.
    if (found.expiresAt <= now && found.registrationId === null) {
      throw new AppError('expired_code', 'The code expired before an admin registered it; ask for a new code.');
    }
    return pacePoll(found.id, now);
  }

  /** One conditional update decides whether this poll came too soon, race-free. */
  async function pacePoll(id: string, now: Date): Promise<TPollResponse> {
    const row = await codes.pacePoll(id, now, JITTER_TOLERANCE, SLOW_DOWN_STEP_SECONDS);
    if (!row) return poll2(id);
    if (row.too_soon) {
      throw new AppError('slow_down', `Polling too fast; wait ${row.interval} seconds between polls.`, {
        interval: row.interval,
      });
    }
    return { status: 'pending', interval: row.interval };
  }

  /** The code left pending between our read and our update: answer for its new state. */
  async function poll2(id: string): Promise<TPollResponse> {
    const code = await codes.findCode(id);
    if (code?.status === 'denied') throw denied();
    return deliver(id, clock.now());
  }

  /** Hands out the credential exactly once; it is made here so it is never stored in clear. */
  async function deliver(id: string, now: Date): Promise<TPollResponse> {
    const credential = randomSecret();
    const delivered = await codes.claimDelivery(id, now, sha256(credential));
    if (!delivered) throw new AppError('code_consumed');
    return {
      status: 'registered',
      registrationId: delivered.id,
      credential,
      customer: delivered.customer,
      registeredAt: delivered.registeredAt.toISOString(),
    };
  }

  /** Code rows are kept a day after expiry (for answering late polls), then purged. */
  async function purgeExpired(): Promise<number> {
    return codes.deleteExpiredBefore(new Date(clock.now().getTime() - 24 * 3600 * 1000));
  }

  return { requestCode, poll, purgeExpired };
}

export type CodeService = ReturnType<typeof createCodeService>;

const denied = () => new AppError('access_denied', 'An admin denied this registration.');

/**
 * A code row's id is made from its poll token's SHA-256 (as a version-8 UUID: 122 of its bits),
 * so a poll finds its row by primary key, and the table needs no index on poll_token_hash: one
 * random-key index entry fewer for every code issued (docs/benchmarks.md). The id reveals no
 * more of the token than the stored hash does; a poll still compares the whole hash.
 */
export function codeIdOf(pollTokenHash: string): string {
  const h = pollTokenHash;
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
