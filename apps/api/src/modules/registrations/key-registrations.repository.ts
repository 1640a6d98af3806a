import type { Tx } from '../../lib/tx.ts';
import type { RegistrationRow } from './registrations.repository.ts';

/**
 * The poll state of a registration waiting for approval, kept in a registration_codes row
 * pointing at it, so the product polls POST /codes/poll exactly as in the code flow. Its
 * code_hash is no code's HMAC (those are hex), so no admin can type it.
 */
export async function insertPendingPoll(
  tx: Tx,
  row: {
    id: string;
    registrationId: string;
    pollTokenHash: string;
    registration: Pick<RegistrationRow, 'product' | 'productVersion' | 'instanceId' | 'serverName' | 'hostname' | 'os'>;
    requestedFrom: string;
    now: Date;
    expiresAt: Date;
    interval: number;
  },
): Promise<void> {
  const r = row.registration;
  await tx.registrationCode.create({
    data: {
      id: row.id,
      codeHash: `registration-key:${row.registrationId}`,
      pollTokenHash: row.pollTokenHash,
      product: r.product,
      productVersion: r.productVersion,
      instanceId: r.instanceId,
      serverName: r.serverName,
      hostname: r.hostname,
      os: r.os,
      requestedFrom: row.requestedFrom,
      requestedAt: row.now,
      expiresAt: row.expiresAt,
      interval: row.interval,
      registrationId: row.registrationId,
    },
  });
}

/** The customer's registrations of a server still waiting for approval (at most one). */
export function findPendingByInstance(tx: Tx, customerId: string, instanceId: string) {
  return tx.registration.findMany({ where: { customerId, instanceId, removedAt: null, pendingApproval: true } });
}

/** A dropped request's poll token matches nothing from then on (401 invalid_poll_token). */
export async function deletePollsOf(tx: Tx, registrationIds: readonly string[]): Promise<void> {
  await tx.registrationCode.deleteMany({ where: { registrationId: { in: [...registrationIds] } } });
}

/** A denied or removed request's poll answers 403 access_denied. */
export async function denyPollsOf(tx: Tx, registrationIds: readonly string[], now: Date): Promise<void> {
  if (registrationIds.length === 0) return;
  await tx.registrationCode.updateMany({
    where: { registrationId: { in: [...registrationIds] }, status: 'pending' },
    data: { status: 'denied', decidedAt: now },
  });
}

/**
 * Locks the customer's pending registrations among `ids` for a decision. Of an approval and a
 * denial racing on one row, the second waits here and then finds the row decided: one wins.
 */
export function lockPending(tx: Tx, customerId: string, ids: readonly string[]) {
  return tx.$queryRaw<{ id: string; instanceId: string }[]>`
    SELECT id, instance_id AS "instanceId" FROM registrations
    WHERE id = ANY(${[...ids]}::uuid[]) AND customer_id = ${customerId}::uuid AND pending_approval AND removed_at IS NULL
    ORDER BY id
    FOR UPDATE`;
}

/** The working registrations of these servers (to be replaced by the approved requests). */
export function findActiveOfInstances(tx: Tx, customerId: string, instanceIds: readonly string[]) {
  return tx.registration.findMany({
    where: { customerId, instanceId: { in: [...instanceIds] }, removedAt: null, pendingApproval: false },
    select: { id: true },
  });
}

/** Approved: active from now on; the product's next poll collects the credential. */
export function approveRows(tx: Tx, ids: readonly string[], now: Date): Promise<RegistrationRow[]> {
  return tx.registration.updateManyAndReturn({
    where: { id: { in: [...ids] }, pendingApproval: true, removedAt: null },
    data: { pendingApproval: false, registeredAt: now },
  });
}

/** The polls of approved requests: registered, kept a code's lifetime from now for the pick-up. */
export function markPollsRegistered(tx: Tx, ids: readonly string[], now: Date, expiresAt: Date) {
  return tx.registrationCode.updateManyAndReturn({
    where: { registrationId: { in: [...ids] }, status: 'pending' },
    data: { status: 'registered', decidedAt: now, expiresAt },
    select: { registrationId: true, requestedFrom: true },
  });
}

/** Where each request came from (its poll row), by registration id. */
export async function requestedFromOf(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  const rows = await tx.registrationCode.findMany({
    where: { registrationId: { in: [...ids] } },
    select: { registrationId: true, requestedFrom: true },
  });
  return new Map(rows.map((row) => [row.registrationId!, row.requestedFrom]));
}

/** Denied: it leaves every list (removed, reason denied). One conditional update: one winner. */
export function markDenied(tx: Tx, customerId: string, ids: readonly string[], now: Date) {
  return tx.registration.updateManyAndReturn({
    where: { id: { in: [...ids] }, customerId, pendingApproval: true, removedAt: null },
    data: { removedAt: now, removedReason: 'denied' },
  });
}

export function customerRefOf(tx: Tx, id: string) {
  return tx.customer.findUniqueOrThrow({ where: { id }, select: { id: true, name: true } });
}
