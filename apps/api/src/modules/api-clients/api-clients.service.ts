import type { TApiClient, TCreatedApiClient, TTokenResponse } from '@reg/contracts/api-clients-api';
import type { Db } from '@reg/db/client';
import { addressKey } from '../../lib/address.ts';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomSecret, sha256 } from '../../lib/crypto.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  deleteClient,
  deleteExpiredTokens,
  findClient,
  findClientById,
  findTokenByHash,
  insertClient,
  insertToken,
  listClients,
  type ClientRow,
} from './api-clients.repository.ts';
import { actorOf, type AdminPrincipal, type ApiClientPrincipal, type Role } from '../../lib/principal.ts';

const TOKEN_TTL_SECONDS = 15 * 60;

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  limits: AttemptLimits;
  maxFailuresPerAddress: number;
}

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
  async function list(admin: AdminPrincipal): Promise<TApiClient[]> {
    const rows = await listClients(db, admin.customerId);
    return rows.map(toApiClient);
  }

  async function create(admin: AdminPrincipal, name: string): Promise<TCreatedApiClient> {
    const secret = randomSecret();
    const row = await db.$transaction(async (tx) => {
      const created = await insertClient(tx, {
        customerId: admin.customerId,
        name,
        secretHash: sha256(secret),
        createdAt: clock.now(),
        createdByAdminId: admin.id,
        createdByEmail: admin.email,
      });
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: actorOf(admin),
        action: 'api_client.created',
        target: { type: 'api_client', id: created.id, label: name },
      });
      return created;
    });
    return { client: toApiClient(row), clientId: row.id, clientSecret: secret };
  }

  /** Deleting a client deletes its tokens (ON DELETE CASCADE): they stop working at once. */
  async function remove(admin: AdminPrincipal, id: string): Promise<void> {
    await db.$transaction(async (tx) => {
      const client = await findClient(tx, admin.customerId, id);
      if (!client) throw notFound();
      await deleteClient(tx, id);
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: actorOf(admin),
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
        const found = isUuid(clientId) ? await findClientById(tx, clientId) : null;
        if (!found || found.secretHash !== sha256(secret)) {
          throw new AppError('invalid_client');
        }
        return found;
      },
      (error) => error instanceof AppError && error.code === 'invalid_client',
    );
    const token = randomSecret();
    const now = clock.now();
    await db.$transaction(async (tx) => {
      await insertToken(tx, client.id, sha256(token), new Date(now.getTime() + TOKEN_TTL_SECONDS * 1000), now);
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
  async function resolveToken(token: string): Promise<ApiClientPrincipal | null> {
    // The creating admin's customer is the client's: one query finds who acts.
    const row = await findTokenByHash(db, sha256(token));
    if (!row || row.expiresAt <= clock.now()) return null;
    const { client } = row;
    return {
      type: 'api-client',
      id: client.id,
      name: client.name,
      role: client.createdByAdmin.role as Role,
      createdByAdminId: client.createdByAdminId,
      customerId: client.customerId,
      customerName: client.createdByAdmin.customer.name,
    };
  }

  async function purgeExpiredTokens(): Promise<number> {
    return deleteExpiredTokens(db, clock.now());
  }

  return { list, create, remove, exchange, resolveToken, purgeExpiredTokens };
}

export type ApiClientService = ReturnType<typeof createApiClientService>;
