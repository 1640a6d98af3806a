import { MACHINE_FINGERPRINT_HEADER, ZMachineFingerprint } from '@reg/contracts/product-api';
import type { Db } from '@reg/db/client';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { isDuplicate, judgeMachine, type MachineState } from './clone-detection.ts';
import { claimMachine, currentMachine, markCopy, refreshSeen } from './clone-detection.repository.ts';
import type { RegistrationRow } from './registrations.repository.ts';
import type { RegistrationService } from './registrations.service.ts';
import { serverOf } from '../../lib/server-ref.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  outbox: Outbox;
  registrations: Pick<RegistrationService, 'authenticateProduct'>;
}

/** The header's fingerprint: undefined when absent (never refused for that), 400 when malformed. */
export function fingerprintOf(request: FastifyRequest): string | undefined {
  const header = request.headers[MACHINE_FINGERPRINT_HEADER];
  if (header === undefined) return undefined;
  const parsed = ZMachineFingerprint.safeParse(header);
  if (!parsed.success)
    throw new AppError('invalid_request', 'X-Machine-Fingerprint must be 16 to 128 of A-Z, a-z, 0-9, ., _, : and -.', {
      details: [{ path: ['headers', MACHINE_FINGERPRINT_HEADER], message: 'malformed' }],
    });
  return parsed.data;
}

/**
 * The product's credential and the machine it comes from (clone-detection.ts has the rule):
 * every product request behind a credential authenticates here, so a copy is refused before it
 * records anything (no contact, no usage, no removal).
 */
export function createCloneDetection({ db, clock, audit, outbox, registrations }: Deps) {
  /** A copy: the registration marked (announced and audited once per marking), and the 409 (also for a key registration of its server). */
  async function refuseCopy(registration: RegistrationRow, requestedFrom: string): Promise<never> {
    const now = clock.now();
    await db.$transaction(async (tx) => {
      const marked = await markCopy(tx, registration.id, now);
      if (!marked || isDuplicate({ duplicateRefusedAt: marked.before }, now)) return;
      await audit.record(tx, {
        customerId: registration.customerId,
        actor: { type: 'product', id: registration.id, label: marked.serverName },
        action: 'registration.duplicate_detected',
        target: { type: 'registration', id: registration.id, label: marked.serverName },
        details: { requestedFrom },
      });
      await outbox.enqueue(tx, {
        customerId: registration.customerId,
        type: 'server.duplicate_detected',
        at: now,
        data: { server: serverOf(registration), requestedFrom },
      });
    });
    throw new AppError('duplicate_instance');
  }

  async function checkMachine(registration: RegistrationRow, fingerprint: string, requestedFrom: string) {
    let state: MachineState = registration;
    // Two machines claiming a fresh registration at once: one claim takes, the other is judged again.
    for (let round = 0; round < 3; round++) {
      const now = clock.now();
      const verdict = judgeMachine(state, fingerprint, now);
      if (verdict === 'same') return;
      if (verdict === 'refresh') return refreshSeen(db, registration.id, fingerprint, now);
      if (verdict === 'copy') return refuseCopy(registration, requestedFrom);
      if (await claimMachine(db, registration.id, fingerprint, now, state)) return;
      const current = await currentMachine(db, registration.id);
      if (!current) throw new AppError('registration_removed');
      state = current;
    }
    return refuseCopy(registration, requestedFrom);
  }

  /** The registration behind the request's credential, from the machine it is kept on (or a new one after a day's silence). */
  async function authenticate(request: FastifyRequest): Promise<RegistrationRow> {
    const fingerprint = fingerprintOf(request);
    const registration = await registrations.authenticateProduct(request.headers.authorization);
    if (fingerprint !== undefined) await checkMachine(registration, fingerprint, request.ip);
    return registration;
  }

  return { authenticate, refuseCopy };
}

export type CloneDetection = ReturnType<typeof createCloneDetection>;
