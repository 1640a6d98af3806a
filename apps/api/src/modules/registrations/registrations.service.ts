import type { TRegistration } from '@reg/contracts/console-api';
import type { TRegistrationStatusResponse } from '@reg/contracts/product-api';
import type { Db } from '@reg/db/client';
import { retryIdempotent } from '@reg/db/retry';
import type { Clock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { keysetPage, type Page } from '../../lib/keyset.ts';
import type { AdminPrincipal, Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Outbox } from '../notifications/outbox.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { scheduledRemoval } from '../stale-registrations/stale-schedule.ts';
import type { CodeLookup } from './code-lookup.ts';
import { createRegistrationDecisions } from './registration-decisions.service.ts';
import type { RegistrationRemoval } from './registration-removal.service.ts';
import {
  findByCredentialHash,
  listActiveRegistrations,
  listKinds,
  recordContact,
  type ListQuery,
  type RegistrationRow,
} from './registrations.repository.ts';
import { registrationStatus } from './registration-status.ts';
import { isDuplicate } from './clone-detection.ts';

/** A row as the API shows it: with its key's description when it was registered by key. */
type ShownRegistration = RegistrationRow & { registrationKeyDescription?: string | null };

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  outbox: Outbox;
  settings: SettingsService;
  /** The one way registrations end (registration-removal.service.ts). */
  removal: RegistrationRemoval;
  findPendingCode: CodeLookup;
  notReportingAfterHours: number;
}

/**
 * Registrations as the console and the product see them: listed, decided on
 * (registration-decisions.service.ts), removed (registration-removal.service.ts), and the
 * product's own credential and heartbeat.
 */
export function createRegistrationService(deps: Deps) {
  const { db, clock, settings, removal, notReportingAfterHours } = deps;
  const decisions = createRegistrationDecisions(deps);

  /** The registration as the API shows it; with the customer's stale-removal policy, when it will be removed. */
  function toRegistration(row: ShownRegistration, staleRemovalDays: number | null = null): TRegistration {
    const now = clock.now();
    const status = registrationStatus(row.lastContactAt, now, notReportingAfterHours, row.pendingApproval);
    const removalAt =
      status === 'reporting' || status === 'pending-approval' ? null : scheduledRemoval(row, staleRemovalDays, now);
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
      tags: row.tags,
      registrationKey:
        row.registrationKeyId && row.registrationKeyDescription != null
          ? { id: row.registrationKeyId, description: row.registrationKeyDescription }
          : null,
      duplicate: isDuplicate(row, now),
    };
  }

  /** Active registrations, keyset-paginated on (sort key, id). */
  async function list(principal: Principal, q: ListQuery): Promise<Page<TRegistration>> {
    const now = clock.now();
    const { staleRemovalDays } = await settings.get(principal);
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

  async function register(admin: AdminPrincipal, input: string): Promise<TRegistration> {
    return toRegistration(await decisions.registerRow(admin, input));
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
    // Idempotent: the same contact time written again, the same customer read again.
    const customer = await retryIdempotent(() => recordContact(db, registration, now));
    if (!customer) throw new AppError('registration_removed');
    return {
      registrationId: registration.id,
      status: 'active',
      customer,
      registeredAt: registration.registeredAt.toISOString(),
      lastContactAt: now.toISOString(),
    };
  }

  return {
    list,
    preview: decisions.preview,
    register,
    createInTransaction: decisions.createInTransaction,
    deny: decisions.deny,
    removeByAdmin: removal.removeByAdmin,
    removeManyByAdmin: removal.removeManyByAdmin,
    authenticateProduct,
    heartbeat,
    removeByProduct: removal.removeByProduct,
    toRegistration,
  };
}

export type RegistrationService = ReturnType<typeof createRegistrationService>;
export type { RegistrationRow };
