import type { TBulkRemoveResult, TCodePreview, TRegistration } from '@reg/contracts/console-api';
import type { TRegistrationStatusResponse } from '@reg/contracts/product-api';
import type { Db, Prisma } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { keysetPage, type Page } from '../../lib/keyset.ts';
import { sha256 } from '../../lib/crypto.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf, type Actor, type AdminPrincipal, type Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { enqueueEvent } from '../notifications/notifications.repository.ts';
import { findSettings } from '../settings/settings.repository.ts';
import { scheduledRemoval } from '../stale-registrations/stale-schedule.ts';
import type { CodeLookup } from './code-lookup.ts';
import {
  decideCode,
  findActiveByInstance,
  findByCredentialHash,
  findRegistration,
  insertRegistration,
  linkCode,
  listActiveRegistrations,
  listKinds,
  markRemoved,
  recordContact,
  removeActiveRegistrations,
  upsertLicenseServer,
  type ListQuery,
  type RegistrationRow,
} from './registrations.repository.ts';
import { registrationStatus } from './registration-status.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  findPendingCode: CodeLookup;
  notReportingAfterHours: number;
}

/** What a registration is made from: a code request's fields, or a request file's. */
export interface NewServer {
  instanceId: string;
  product: string;
  productVersion: string;
  serverName: string;
  hostname: string;
  os: string | null;
  credentialHash?: string;
}

export function createRegistrationService({ db, clock, audit, findPendingCode, notReportingAfterHours }: Deps) {
  /** The registration as the API shows it; with the customer's stale-removal policy, when it will be removed. */
  function toRegistration(row: RegistrationRow, staleRemovalDays: number | null = null): TRegistration {
    const now = clock.now();
    const status = registrationStatus(row.lastContactAt, now, notReportingAfterHours);
    const removalAt = status === 'reporting' ? null : scheduledRemoval(row, staleRemovalDays, now);
    return {
      id: row.id,
      serverName: row.serverName,
      hostname: row.hostname,
      os: row.os,
      product: row.product,
      productVersion: row.productVersion,
      instanceId: row.instanceId,
      registeredAt: row.registeredAt.toISOString(),
      registeredBy: { id: row.registeredById, email: row.registeredByEmail },
      lastContactAt: row.lastContactAt?.toISOString() ?? null,
      status,
      ...(removalAt && { scheduledRemovalAt: removalAt.toISOString() }),
    };
  }

  /** Active registrations, keyset-paginated on (sort key, id). */
  async function list(principal: Principal, q: ListQuery): Promise<Page<TRegistration>> {
    const now = clock.now();
    const { staleRemovalDays } = await findSettings(db, principal.customerId);
    return keysetPage({
      cursor: q.cursor,
      limit: q.limit,
      kinds: listKinds(q.sort),
      fetch: (after, take) =>
        listActiveRegistrations(db, {
          customerId: principal.customerId,
          filter: q,
          after,
          take,
          now,
          notReportingAfterHours,
        }),
      keyOf: (row) => [row.sortValue, row.id],
      map: (row) => toRegistration(row, staleRemovalDays),
    });
  }

  async function preview(admin: AdminPrincipal, input: string): Promise<TCodePreview> {
    const code = await findPendingCode(admin, input);
    // A preview shows another product's host and address: who looked is recorded.
    await audit.record(db, {
      customerId: admin.customerId,
      actor: actorOf(admin),
      action: 'registration.previewed',
      target: { type: 'registration_code', id: code.id, label: code.serverName },
      details: { codeRequestedFrom: code.requestedFrom, hostname: code.hostname },
    });
    return {
      product: code.product,
      productVersion: code.productVersion,
      serverName: code.serverName,
      hostname: code.hostname,
      os: code.os,
      instanceId: code.instanceId,
      requestedAt: code.requestedAt.toISOString(),
      requestedFrom: code.requestedFrom,
      expiresAt: code.expiresAt.toISOString(),
    };
  }

  /**
   * A new registration of one server, in the caller's transaction: the code path and the
   * request-file path (modules/offline) register alike, replacing the customer's active
   * registration of the same instanceId (reason replaced) and auditing registration.created.
   * An AdminPrincipal: an API client can't be recorded as who registered (the compiler refuses).
   */
  async function createInTransaction(
    tx: Prisma.TransactionClient,
    admin: AdminPrincipal,
    server: NewServer,
    now: Date,
    auditDetails: Record<string, unknown>,
  ): Promise<RegistrationRow> {
    // The upsert locks the server's row, so registrations of one server take turns.
    const licenseServer = await upsertLicenseServer(tx, {
      customerId: admin.customerId,
      instanceId: server.instanceId,
      serverName: server.serverName,
      hostname: server.hostname,
    });
    for (const old of await findActiveByInstance(tx, admin.customerId, server.instanceId)) {
      await markRemoved(tx, old.id, now, 'replaced');
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: actorOf(admin),
        action: 'registration.removed',
        target: { type: 'registration', id: old.id, label: old.serverName },
        details: { reason: 'replaced' },
      });
      await enqueueEvent(tx, removedEvent(old, 'replaced', now));
    }
    const registration = await insertRegistration(tx, {
      customerId: admin.customerId,
      licenseServerId: licenseServer.id,
      instanceId: server.instanceId,
      product: server.product,
      productVersion: server.productVersion,
      serverName: server.serverName,
      hostname: server.hostname,
      os: server.os,
      registeredAt: now,
      registeredById: admin.id,
      registeredByEmail: admin.email,
      credentialHash: server.credentialHash ?? null,
    });
    await audit.record(tx, {
      customerId: admin.customerId,
      actor: actorOf(admin),
      action: 'registration.created',
      target: { type: 'registration', id: registration.id, label: registration.serverName },
      details: { ...auditDetails, hostname: server.hostname, instanceId: server.instanceId },
    });
    await enqueueEvent(tx, {
      customerId: admin.customerId,
      type: 'registration.created',
      at: now,
      data: { server: serverOf(registration) },
    });
    return registration;
  }

  async function register(admin: AdminPrincipal, input: string): Promise<TRegistration> {
    const code = await findPendingCode(admin, input);
    const now = clock.now();
    const created = await db.$transaction(async (tx) => {
      // The conditional update is the single transition out of pending: one winner.
      if (!(await decideCode(tx, code.id, 'registered', now))) return null;
      const registration = await createInTransaction(tx, admin, code, now, codeDetails(code));
      await linkCode(tx, code.id, registration.id);
      return registration;
    });
    if (!created) throw alreadyUsedOrExpired(code.expiresAt, now);
    return toRegistration(created);
  }

  async function deny(admin: AdminPrincipal, input: string): Promise<void> {
    const code = await findPendingCode(admin, input);
    const now = clock.now();
    const denied = await db.$transaction(async (tx) => {
      if (!(await decideCode(tx, code.id, 'denied', now))) return false;
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: actorOf(admin),
        action: 'registration.denied',
        target: { type: 'registration_code', id: code.id, label: code.serverName },
        details: codeDetails(code),
      });
      return true;
    });
    if (!denied) throw alreadyUsedOrExpired(code.expiresAt, now);
  }

  /** Removes in any state; removing one already removed is a no-op, so a retried DELETE is safe. */
  async function removeByAdmin(principal: Principal, id: string): Promise<void> {
    const registration = await findRegistration(db, principal.customerId, id);
    if (!registration) throw notFound();
    await remove(registration, 'admin', actorOf(principal));
  }

  /**
   * Removes the customer's active registrations among `ids` in one transaction. An id that is
   * another customer's, already removed or unknown is `notFound` (never told apart, so ids can't
   * be probed); a repeated id counts once.
   */
  async function removeManyByAdmin(principal: Principal, ids: readonly string[]): Promise<TBulkRemoveResult> {
    const wanted = [...new Set(ids)];
    const actor = actorOf(principal);
    const removed = await db.$transaction(async (tx) => {
      const rows = await removeActiveRegistrations(tx, principal.customerId, wanted, clock.now());
      for (const row of rows) {
        await audit.record(tx, {
          customerId: principal.customerId,
          actor,
          action: 'registration.removed',
          target: { type: 'registration', id: row.id, label: row.serverName },
          details: { reason: 'admin' },
        });
      }
      return new Set(rows.map((row) => row.id));
    });
    return { removed: wanted.filter((id) => removed.has(id)), notFound: wanted.filter((id) => !removed.has(id)) };
  }

  async function remove(registration: RegistrationRow, reason: 'admin' | 'product', actor: Actor) {
    await db.$transaction(async (tx) => {
      if (!(await markRemoved(tx, registration.id, clock.now(), reason))) return;
      await audit.record(tx, {
        customerId: registration.customerId,
        actor,
        action: 'registration.removed',
        target: { type: 'registration', id: registration.id, label: registration.serverName },
        details: { reason },
      });
      await enqueueEvent(tx, removedEvent(registration, reason, clock.now()));
    });
  }

  /** The product's bearer credential: an active registration, or the reason it is refused. */
  async function authenticateProduct(authorization: string | undefined): Promise<RegistrationRow> {
    const credential = authorization?.match(/^Bearer\s+(\S{1,200})\s*$/i)?.[1];
    if (!credential) throw new AppError('invalid_credential', 'Send the registration credential as a Bearer token.');
    const registration = await findByCredentialHash(db, sha256(credential));
    if (!registration) throw new AppError('invalid_credential');
    if (registration.removedAt) {
      throw new AppError(
        'registration_removed',
        'This registration was removed; register the server again to report usage.',
      );
    }
    return registration;
  }

  async function heartbeat(registration: RegistrationRow): Promise<TRegistrationStatusResponse> {
    const now = clock.now();
    const customer = await recordContact(db, registration, now);
    if (!customer) throw new AppError('registration_removed');
    return {
      registrationId: registration.id,
      status: 'active',
      customer,
      registeredAt: registration.registeredAt.toISOString(),
      lastContactAt: now.toISOString(),
    };
  }

  async function removeByProduct(registration: RegistrationRow): Promise<void> {
    await remove(registration, 'product', { type: 'product', id: registration.id, label: registration.serverName });
  }

  return {
    list,
    preview,
    register,
    createInTransaction,
    deny,
    removeByAdmin,
    removeManyByAdmin,
    authenticateProduct,
    heartbeat,
    removeByProduct,
    toRegistration,
  };
}

/** The server a notification is about (docs/notifications.md). */
const serverOf = (r: RegistrationRow) => ({
  licenseServerId: r.licenseServerId,
  registrationId: r.id,
  serverName: r.serverName,
  hostname: r.hostname,
});

const removedEvent = (r: RegistrationRow, reason: 'admin' | 'product' | 'replaced', at: Date) => ({
  customerId: r.customerId,
  type: 'registration.removed' as const,
  at,
  data: { server: serverOf(r), reason },
});

/** What the audit log keeps of the code a decision was made on. */
const codeDetails = (code: { requestedAt: Date; requestedFrom: string; hostname: string }) => ({
  codeRequestedAt: code.requestedAt.toISOString(),
  codeRequestedFrom: code.requestedFrom,
  hostname: code.hostname,
});

function alreadyUsedOrExpired(expiresAt: Date, now: Date): AppError {
  return expiresAt <= now ? new AppError('expired_code') : new AppError('code_already_used');
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
export type { RegistrationRow };
