import type { TBulkRemoveResult, TCodePreview, TRegistration } from '@reg/contracts/console-api';
import type { TRegistrationStatusResponse } from '@reg/contracts/product-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { Actor, AuditService } from '../audit/audit.service.ts';
import type { AdminContext } from '../session/session.service.ts';
import type { CodeLookup } from './code-lookup.ts';
import { registrationStatus } from './registration-status.ts';
import { removeActiveRegistrations } from './registrations.repository.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  findPendingCode: CodeLookup;
  notReportingAfterHours: number;
}

type RegistrationRow = NonNullable<Awaited<ReturnType<Db['registration']['findFirst']>>>;

export function createRegistrationService({ db, clock, audit, findPendingCode, notReportingAfterHours }: Deps) {
  function toRegistration(row: RegistrationRow): TRegistration {
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
      status: registrationStatus(row.lastContactAt, clock.now(), notReportingAfterHours),
    };
  }

  async function preview(admin: AdminContext, input: string): Promise<TCodePreview> {
    const code = await findPendingCode(admin, input);
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

  async function register(admin: AdminContext, input: string): Promise<TRegistration> {
    const code = await findPendingCode(admin, input);
    const now = clock.now();
    const created = await db.$transaction(async (tx) => {
      // The conditional update is the single transition out of pending: one winner.
      const won = await tx.registrationCode.updateMany({
        where: { id: code.id, status: 'pending', expiresAt: { gt: now } },
        data: { status: 'registered', decidedAt: now },
      });
      if (won.count === 0) return null;
      // The upsert locks the server's row, so registrations of one server take turns.
      const server = await tx.licenseServer.upsert({
        where: { customerId_instanceId: { customerId: admin.customerId, instanceId: code.instanceId } },
        create: {
          customerId: admin.customerId,
          instanceId: code.instanceId,
          serverName: code.serverName,
          hostname: code.hostname,
        },
        update: { serverName: code.serverName, hostname: code.hostname },
      });
      const previous = await tx.registration.findMany({
        where: { customerId: admin.customerId, instanceId: code.instanceId, removedAt: null },
      });
      for (const old of previous) {
        await tx.registration.update({ where: { id: old.id }, data: { removedAt: now, removedReason: 'replaced' } });
        await audit.record(tx, {
          customerId: admin.customerId,
          actor: admin.actor,
          action: 'registration.removed',
          target: { type: 'registration', id: old.id, label: old.serverName },
          details: { reason: 'replaced' },
        });
      }
      const registration = await tx.registration.create({
        data: {
          customerId: admin.customerId,
          licenseServerId: server.id,
          instanceId: code.instanceId,
          product: code.product,
          productVersion: code.productVersion,
          serverName: code.serverName,
          hostname: code.hostname,
          os: code.os,
          registeredAt: now,
          registeredById: admin.adminId,
          registeredByEmail: admin.email,
        },
      });
      await tx.registrationCode.update({ where: { id: code.id }, data: { registrationId: registration.id } });
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: admin.actor,
        action: 'registration.created',
        target: { type: 'registration', id: registration.id, label: registration.serverName },
        details: {
          codeRequestedAt: code.requestedAt.toISOString(),
          codeRequestedFrom: code.requestedFrom,
          hostname: code.hostname,
          instanceId: code.instanceId,
        },
      });
      return registration;
    });
    if (!created) throw alreadyUsedOrExpired(code.expiresAt, now);
    return toRegistration(created);
  }

  async function deny(admin: AdminContext, input: string): Promise<void> {
    const code = await findPendingCode(admin, input);
    const now = clock.now();
    const denied = await db.$transaction(async (tx) => {
      const won = await tx.registrationCode.updateMany({
        where: { id: code.id, status: 'pending', expiresAt: { gt: now } },
        data: { status: 'denied', decidedAt: now },
      });
      if (won.count === 0) return false;
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: admin.actor,
        action: 'registration.denied',
        target: { type: 'registration_code', id: code.id, label: code.serverName },
        details: {
          codeRequestedAt: code.requestedAt.toISOString(),
          codeRequestedFrom: code.requestedFrom,
          hostname: code.hostname,
        },
      });
      return true;
    });
    if (!denied) throw alreadyUsedOrExpired(code.expiresAt, now);
  }

  /** Removes in any state; removing one already removed is a no-op, so a retried DELETE is safe. */
  async function removeByAdmin(admin: AdminContext, id: string): Promise<void> {
    const registration = await db.registration.findFirst({ where: { id, customerId: admin.customerId } });
    if (!registration) throw notFound();
    await remove(registration, 'admin', admin.actor);
  }

  /**
   * Removes the customer's active registrations among `ids` in one transaction. An id that is
   * another customer's, already removed or unknown is `notFound` (never told apart, so ids can't
   * be probed); a repeated id counts once.
   */
  async function removeManyByAdmin(admin: AdminContext, ids: readonly string[]): Promise<TBulkRemoveResult> {
    const wanted = [...new Set(ids)];
    const removed = await db.$transaction(async (tx) => {
      const rows = await removeActiveRegistrations(tx, admin.customerId, wanted, clock.now());
      for (const row of rows) {
        await audit.record(tx, {
          customerId: admin.customerId,
          actor: admin.actor,
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
      const removed = await tx.registration.updateMany({
        where: { id: registration.id, removedAt: null },
        data: { removedAt: clock.now(), removedReason: reason },
      });
      if (removed.count === 0) return;
      await audit.record(tx, {
        customerId: registration.customerId,
        actor,
        action: 'registration.removed',
        target: { type: 'registration', id: registration.id, label: registration.serverName },
        details: { reason },
      });
    });
  }

  /** The product's bearer credential: an active registration, or the reason it is refused. */
  async function authenticateProduct(authorization: string | undefined): Promise<RegistrationRow> {
    const credential = authorization?.match(/^Bearer\s+(\S{1,200})\s*$/i)?.[1];
    if (!credential) throw new AppError('invalid_credential', 'Send the registration credential as a Bearer token.');
    const registration = await db.registration.findUnique({ where: { credentialHash: sha256(credential) } });
    if (!registration) throw new AppError('invalid_credential', 'This credential matches no registration.');
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
    const updated = await db.registration.updateMany({
      where: { id: registration.id, removedAt: null },
      data: { lastContactAt: now },
    });
    if (updated.count === 0)
      throw new AppError('registration_removed', 'This registration was removed; register the server again.');
    const customer = await db.customer.findUniqueOrThrow({
      where: { id: registration.customerId },
      select: { id: true, name: true },
    });
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
    preview,
    register,
    deny,
    removeByAdmin,
    removeManyByAdmin,
    authenticateProduct,
    heartbeat,
    removeByProduct,
    toRegistration,
  };
}

function alreadyUsedOrExpired(expiresAt: Date, now: Date): AppError {
  return expiresAt <= now
    ? new AppError('expired_code', 'This code has expired; get a new code on the License Server.')
    : new AppError('code_already_used', 'This code was already used; get a new code on the License Server.');
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
export type { RegistrationRow };
