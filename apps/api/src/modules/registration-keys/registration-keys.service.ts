import {
  REGISTRATION_KEY_PREFIX,
  type TCreateRegistrationKeyRequest,
  type TCreatedRegistrationKey,
  type TListRegistrationKeysQuery,
  type TRegistrationKey,
  type TRegistrationKeyApproval,
  type TRegistrationKeyStatus,
} from '@reg/contracts/registration-keys-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { randomSecret, sha256 } from '../../lib/crypto.ts';
import { notFound } from '../../lib/errors.ts';
import { keysetPage, type Page } from '../../lib/keyset.ts';
import { actorOf, type Actor, type AdminPrincipal, type Principal } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import {
  countUse,
  findKey,
  findKeyBySecretHash,
  insertKey,
  listKeys,
  revokeKey,
  revokeKeysOfCreator,
  type KeyRow,
} from './registration-keys.repository.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Revoked wins, then used up, then expired (the contract's order). */
function keyStatus(row: KeyRow, now: Date): TRegistrationKeyStatus {
  if (row.revokedAt) return 'revoked';
  if (row.maxUses !== null && row.uses >= row.maxUses) return 'exhausted';
  if (row.expiresAt <= now) return 'expired';
  return 'active';
}

/** The key a registration is made with, as the registrations module needs it. */
export interface UsableKey {
  id: string;
  customerId: string;
  description: string;
  approval: TRegistrationKeyApproval;
  tags: string[];
  createdByAdminId: string | null;
  createdByEmail: string;
}

const usable = (row: KeyRow): UsableKey => ({
  id: row.id,
  customerId: row.customerId,
  description: row.description,
  approval: row.approval as TRegistrationKeyApproval,
  tags: row.tags,
  createdByAdminId: row.createdByAdminId,
  createdByEmail: row.createdByEmail,
});

/**
 * Registration keys (docs/decisions/010-registration-keys.md): made and revoked by full admins,
 * listed by every principal of the customer. The secret is 32 random bytes shown once; the
 * service keeps its SHA-256 (a slow hash adds nothing against guessing 256 bits).
 */
export function createRegistrationKeyService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  function toKey(row: KeyRow): TRegistrationKey {
    return {
      id: row.id,
      description: row.description,
      maxUses: row.maxUses,
      uses: row.uses,
      expiresAt: row.expiresAt.toISOString(),
      approval: row.approval as TRegistrationKeyApproval,
      tags: row.tags,
      status: keyStatus(row, clock.now()),
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdByEmail,
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
  }

  function list(
    principal: Principal,
    q: TListRegistrationKeysQuery & { limit: number },
  ): Promise<Page<TRegistrationKey>> {
    const now = clock.now();
    return keysetPage({
      cursor: q.cursor,
      limit: q.limit,
      kinds: ['timestamp', 'uuid'],
      fetch: (after, take) => listKeys(db, { customerId: principal.customerId, status: q.status, now, after, take }),
      keyOf: (row) => [row.createdAt, row.id],
      map: toKey,
    });
  }

  async function create(
    admin: AdminPrincipal,
    input: Required<TCreateRegistrationKeyRequest>,
  ): Promise<TCreatedRegistrationKey> {
    const secret = `${REGISTRATION_KEY_PREFIX}${randomSecret()}`;
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
    const row = await db.$transaction(async (tx) => {
      const created = await insertKey(tx, {
        customerId: admin.customerId,
        description: input.description,
        secretHash: sha256(secret),
        maxUses: input.maxUses,
        expiresAt,
        approval: input.approval,
        tags: input.tags,
        createdAt: now,
        createdByAdminId: admin.id,
        createdByEmail: admin.email,
      });
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: actorOf(admin),
        action: 'registration_key.created',
        target: { type: 'registration_key', id: created.id, label: created.description },
        details: {
          description: created.description,
          maxUses: created.maxUses,
          expiresAt: expiresAt.toISOString(),
          approval: input.approval,
          tags: created.tags,
        },
      });
      return created;
    });
    return { key: toKey(row), secret };
  }

  /** Revoking a revoked key is a no-op (204 again, audited once). */
  async function revoke(admin: AdminPrincipal, id: string): Promise<void> {
    await db.$transaction(async (tx) => {
      if (!(await findKey(tx, admin.customerId, id))) throw notFound();
      const [revoked] = await revokeKey(tx, admin.customerId, id, clock.now(), 'admin');
      if (revoked) await auditRevoked(tx, revoked, actorOf(admin), 'admin');
    });
  }

  /** In the admin removal's transaction: the keys they made stop working with them. */
  async function revokeKeysOf(tx: Tx, customerId: string, adminId: string, actor: Actor): Promise<number> {
    const rows = await revokeKeysOfCreator(tx, customerId, adminId, clock.now());
    for (const row of rows) await auditRevoked(tx, row, actor, 'creator_removed');
    return rows.length;
  }

  async function auditRevoked(tx: Tx, row: KeyRow, actor: Actor, reason: 'admin' | 'creator_removed') {
    await audit.record(tx, {
      customerId: row.customerId,
      actor,
      action: 'registration_key.revoked',
      target: { type: 'registration_key', id: row.id, label: row.description },
      details: { uses: row.uses, reason },
    });
  }

  /** The active key with this secret, or null (unknown, malformed, expired, used up, revoked alike). */
  async function findActive(secret: string): Promise<UsableKey | null> {
    const row = await findKeyBySecretHash(db, sha256(secret));
    return row && keyStatus(row, clock.now()) === 'active' ? usable(row) : null;
  }

  /** Counts a use in the registration's transaction; null when the key stopped being active meanwhile. */
  async function use(tx: Tx, keyId: string, now: Date): Promise<UsableKey | null> {
    const row = await countUse(tx, keyId, now);
    return row ? usable(row) : null;
  }

  return { list, create, revoke, revokeKeysOf, findActive, use };
}

export type RegistrationKeyService = ReturnType<typeof createRegistrationKeyService>;
