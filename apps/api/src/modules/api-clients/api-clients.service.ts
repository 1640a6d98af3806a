import type { TApiClient, TCreatedApiClient, TTokenResponse } from '@reg/contracts/api-clients-api';
import type { Db } from '@reg/db/client';
import { addressKey } from '../../lib/address.ts';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomSecret, sha256 } from '../../lib/crypto.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AdminContext } from '../session/session.service.ts';

export const TOKEN_TTL_SECONDS = 15 * 60;

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  limits: AttemptLimits;
  maxFailuresPerAddress: number;
}

type ClientRow = NonNullable<Awaited<ReturnType<Db['apiClient']['findFirst']>>>;

const toApiClient = (row: ClientRow): TApiClient => ({
  id: row.id,
  name: row.name,
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdByEmail,
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
});

/**
 * API clients script what admins do in the console. Secrets and tokens are 256-bit random
 * values stored as SHA-256 hashes (a slow hash adds nothing against guessing 256 bits).
 */
export function createApiClientService({ db, clock, audit, limits, maxFailuresPerAddress }: Deps) {
  async function list(admin: AdminContext): Promise<TApiClient[]> {
    const rows = await db.apiClient.findMany({
      where: { customerId: admin.customerId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    return rows.map(toApiClient);
  }

  async function create(admin: AdminContext, name: string): Promise<TCreatedApiClient> {
    const secret = randomSecret();
    const row = await db.$transaction(async (tx) => {
      const created = await tx.apiClient.create({
        data: {
          customerId: admin.customerId,
          name,
          secretHash: sha256(secret),
          createdAt: clock.now(),
          createdByEmail: admin.email,
        },
      });
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: admin.actor,
        action: 'api_client.created',
        target: { type: 'api_client', id: created.id, label: name },
      });
      return created;
    });
    return { client: toApiClient(row), clientId: row.id, clientSecret: secret };
  }

  /** Deleting a client deletes its tokens (ON DELETE CASCADE): they stop working at once. */
  async function remove(admin: AdminContext, id: string): Promise<void> {
    await db.$transaction(async (tx) => {
      const client = await tx.apiClient.findFirst({ where: { id, customerId: admin.customerId } });
      if (!client) throw notFound();
      await tx.apiClient.delete({ where: { id } });
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: admin.actor,
        action: 'api_client.deleted',
        target: { type: 'api_client', id, label: client.name },
      });
    });
  }

  async function exchange(clientId: string, secret: string, sourceAddress: string): Promise<TTokenResponse> {
    // Checked and counted in one step, so wrong secrets sent all at once can't outrun the count.
    // Per source address only: a limit per client id would let anyone who knows an id (it is no
    // secret) lock its script out; and 256-bit secrets need no limit against guessing.
    const client = await limits.guard(
      [{ key: `token:address:${addressKey(sourceAddress)}`, max: maxFailuresPerAddress }],
      'Too many failed token requests.',
      async (tx) => {
        const found = isUuid(clientId) ? await tx.apiClient.findUnique({ where: { id: clientId } }) : null;
        if (!found || found.secretHash !== sha256(secret)) {
          throw new AppError('invalid_client', 'The client id or secret is wrong.');
        }
        return found;
      },
      (error) => error instanceof AppError && error.code === 'invalid_client',
    );
    const token = randomSecret();
    const now = clock.now();
    await db.$transaction(async (tx) => {
      await tx.apiClientToken.create({
        data: {
          clientId: client.id,
          tokenHash: sha256(token),
          expiresAt: new Date(now.getTime() + TOKEN_TTL_SECONDS * 1000),
        },
      });
      await tx.apiClient.update({ where: { id: client.id }, data: { lastUsedAt: now } });
      await audit.record(tx, {
        customerId: client.customerId,
        actor: { type: 'api-client', id: client.id, label: client.name },
        action: 'api_client.token_issued',
        target: { type: 'api_client', id: client.id, label: client.name },
        details: { sourceAddress },
      });
    });
    return { access_token: token, token_type: 'Bearer', expires_in: TOKEN_TTL_SECONDS };
  }

  /** The customer context a bearer token acts in, or null when it is unknown, expired or its client deleted. */
  async function resolveToken(token: string): Promise<AdminContext | null> {
    const row = await db.apiClientToken.findUnique({ where: { tokenHash: sha256(token) }, include: { client: true } });
    if (!row || row.expiresAt <= clock.now()) return null;
    const customer = await db.customer.findUnique({ where: { id: row.client.customerId } });
    if (!customer) return null;
    return {
      adminId: row.client.id,
      email: row.client.name,
      customerId: customer.id,
      customerName: customer.name,
      sessionId: row.id,
      csrfToken: '',
      actor: { type: 'api-client', id: row.client.id, label: row.client.name },
    };
  }

  async function purgeExpiredTokens(): Promise<number> {
    const { count } = await db.apiClientToken.deleteMany({ where: { expiresAt: { lte: clock.now() } } });
    return count;
  }

  return { list, create, remove, exchange, resolveToken, purgeExpiredTokens };
}

export type ApiClientService = ReturnType<typeof createApiClientService>;
