import type { TCodePreview } from '@reg/contracts/console-api';
import { AppError } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal } from '../../lib/principal.ts';
import type { ChangeDeps } from '../../lib/change-deps.ts';
import type { Tx } from '../../lib/tx.ts';
import type { CodeLookup } from './code-lookup.ts';
import type { RegistrationRemoval } from './registration-removal.service.ts';
import {
  decideCode,
  insertRegistration,
  linkCode,
  upsertLicenseServer,
  type RegistrationRow,
} from './registrations.repository.ts';
import { serverOf } from '../../lib/server-ref.ts';

/** What a registration is made from: a code request's fields, or a request file's. */
interface NewServer {
  instanceId: string;
  product: string;
  productVersion: string;
  serverName: string;
  hostname: string;
  os: string | null;
  credentialHash?: string;
}

interface Deps extends ChangeDeps {
  removal: RegistrationRemoval;
  findPendingCode: CodeLookup;
}

/** An admin's decision on a code (preview, register, deny), and the registration it makes. */
export function createRegistrationDecisions({ db, clock, audit, outbox, removal, findPendingCode }: Deps) {
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
    tx: Tx,
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
    await removal.replaceWorking(tx, {
      customerId: admin.customerId,
      instanceIds: [server.instanceId],
      actor: actorOf(admin),
      now,
    });
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
    await outbox.enqueue(tx, {
      customerId: admin.customerId,
      type: 'registration.created',
      at: now,
      data: { server: serverOf(registration) },
    });
    return registration;
  }

  /** Registers the server a pending code stands for; the row, or the reason the code is spent. */
  async function registerRow(admin: AdminPrincipal, input: string): Promise<RegistrationRow> {
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
    return created;
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

  return { preview, createInTransaction, registerRow, deny };
}

/** What the audit log keeps of the code a decision was made on. */
const codeDetails = (code: { requestedAt: Date; requestedFrom: string; hostname: string }) => ({
  codeRequestedAt: code.requestedAt.toISOString(),
  codeRequestedFrom: code.requestedFrom,
  hostname: code.hostname,
});

function alreadyUsedOrExpired(expiresAt: Date, now: Date): AppError {
  return expiresAt <= now ? new AppError('expired_code') : new AppError('code_already_used');
}
