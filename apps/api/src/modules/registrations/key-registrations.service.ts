import { CONSOLE_PATHS } from '@reg/contracts/console-paths';
import type { TKeyRegistrationPending, TKeyRegistrationRequest, TPollRegistered } from '@reg/contracts/product-api';
import type { Db } from '@reg/db/client';
import type { Config } from '../../config.ts';
import { addressKey } from '../../lib/address.ts';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomSecret, sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { Actor } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import { createTurns } from '../../lib/turns.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { checkRegistrable, codeIdOf } from '../codes/codes.service.ts';
import type { Outbox } from '../notifications/outbox.ts';
import type { RegistrationKeyService, UsableKey } from '../registration-keys/registration-keys.service.ts';
import { judgeMachine } from './clone-detection.ts';
import type { CloneDetection } from './clone-detection.service.ts';
import {
  customerRefOf,
  deletePollsOf,
  findPendingByInstance,
  insertPendingPoll,
} from './key-registrations.repository.ts';
import type { RegistrationRemoval } from './registration-removal.service.ts';
import {
  findActiveByInstance,
  insertRegistration,
  upsertLicenseServer,
  type RegistrationRow,
} from './registrations.repository.ts';
import { serverOf } from '../../lib/server-ref.ts';

interface Deps {
  db: Db;
  clock: Clock;
  config: Pick<Config, 'MIN_PRODUCT_VERSION' | 'PUBLIC_URL' | 'POLL_INTERVAL_SECONDS' | 'CODE_TTL_SECONDS'>;
  audit: AuditService;
  outbox: Outbox;
  removal: RegistrationRemoval;
  limits: AttemptLimits;
  registrationKeys: Pick<RegistrationKeyService, 'findActive' | 'use'>;
  cloneDetection: Pick<CloneDetection, 'refuseCopy'>;
  maxFailuresPerAddress: number;
  /** Registration transactions running at once; the rest wait in memory, holding no connection. */
  maxConcurrent: number;
}

type KeyRegistrationAnswer = { status: 201; body: TPollRegistered } | { status: 202; body: TKeyRegistrationPending };

/** One answer for every refused key: a caller can't tell a revoked key from one that never existed. */
const refused = () => new AppError('invalid_registration_key');
const isRefusal = (error: unknown) => error instanceof AppError && error.code === 'invalid_registration_key';
/** Thrown inside the transaction when the key stopped being usable meanwhile: it rolls back. */
class KeyGone extends Error {}
/** Thrown inside the transaction when the request comes from a copy of a server alive elsewhere: it rolls back. */
class CopyOfLiveServer extends Error {
  constructor(readonly registration: RegistrationRow) {
    super('copy of a live server');
  }
}

/** Who asks: the source address, and the machine when the product names it (X-Machine-Fingerprint). */
interface KeyRequester {
  requestedFrom: string;
  fingerprint: string | undefined;
}

/** What is done with a good key: register now, or wait for an admin's approval. */
type KeyStep = (
  tx: Tx,
  key: UsableKey,
  input: TKeyRegistrationRequest,
  requester: KeyRequester,
) => Promise<KeyRegistrationAnswer>;

/**
 * Registering by registration key (docs/protocol.md, "Registering by key"): what the product
 * gets is what the code flow gives it. Refused keys count against the source address in the
 * database (every instance sees one count); accepted ones are not limited per address.
 */
export function createKeyRegistrations(deps: Deps) {
  const { db, clock, config, audit, outbox, removal, limits, registrationKeys, cloneDetection } = deps;
  const { maxFailuresPerAddress, maxConcurrent } = deps;
  const verificationUri = `${config.PUBLIC_URL}${CONSOLE_PATHS.productRegistrations}?status=pending-approval`;
  const LIMIT_MESSAGE = 'Too many refused registration keys from this address.';
  const inTurn = createTurns(maxConcurrent);

  /** Counts a refusal against the address (taking its turn, so a burst is counted exactly), then refuses. */
  async function refuse(rules: { key: string; max: number }[]): Promise<never> {
    return limits.guard(
      rules,
      LIMIT_MESSAGE,
      async () => {
        throw refused();
      },
      isRefusal,
    );
  }

  async function register(input: TKeyRegistrationRequest, requester: KeyRequester): Promise<KeyRegistrationAnswer> {
    const { requestedFrom } = requester;
    const rules = [{ key: `regkey:address:${addressKey(requestedFrom)}`, max: maxFailuresPerAddress }];
    await limits.check(rules, LIMIT_MESSAGE);
    const key = await registrationKeys.findActive(input.registrationKey);
    if (!key) return refuse(rules);
    checkRegistrable(input, config.MIN_PRODUCT_VERSION);
    try {
      return await inTurn(() =>
        db.$transaction((tx): Promise<KeyRegistrationAnswer> =>
          key.approval === 'automatic'
            ? registerNow(tx, key, input, requester)
            : requestApproval(tx, key, input, requester),
        ),
      );
    } catch (error) {
      if (error instanceof KeyGone) return refuse(rules);
      // Marked (and announced) in a transaction of its own: the registration's was rolled back.
      if (error instanceof CopyOfLiveServer) return cloneDetection.refuseCopy(error.registration, requestedFrom);
      throw error;
    }
  }

  /** Either flow's audit record, but its action: the product itself acts, with this key, from this address. */
  const auditOf = (key: UsableKey, row: RegistrationRow, requestedFrom: string) => ({
    customerId: key.customerId,
    actor: { type: 'product', id: row.id, label: row.serverName } satisfies Actor,
    target: { type: 'registration' as const, id: row.id, label: row.serverName },
    details: {
      via: 'registration-key' as const,
      keyId: key.id,
      requestedFrom,
      hostname: row.hostname,
      instanceId: row.instanceId,
    },
  });

  /**
   * The server's row (locked: registrations of one server take turns), its working registration,
   * and any earlier pending request dropped. A request from another machine while the working
   * registration's own machine was seen within the day is a copy: it can't replace the original.
   */
  async function prepare(
    tx: Tx,
    key: UsableKey,
    input: TKeyRegistrationRequest,
    fingerprint: string | undefined,
    now: Date,
    rename: boolean,
  ) {
    const licenseServer = await upsertLicenseServer(
      tx,
      {
        customerId: key.customerId,
        instanceId: input.instanceId,
        serverName: input.serverName,
        hostname: input.hostname,
      },
      rename,
    );
    const active = await findActiveByInstance(tx, key.customerId, input.instanceId);
    const original =
      fingerprint === undefined ? undefined : active.find((row) => judgeMachine(row, fingerprint, now) === 'copy');
    if (original) throw new CopyOfLiveServer(original);
    const earlier = await findPendingByInstance(tx, key.customerId, input.instanceId);
    if (earlier.length > 0) {
      const ids = earlier.map((row) => row.id);
      await removal.removeInTransaction(tx, {
        customerId: key.customerId,
        ids,
        reason: 'replaced',
        actor: { type: 'system', id: null, label: 'A newer request of the same server' },
        now,
      });
      await deletePollsOf(tx, ids);
    }
    return { licenseServer, active };
  }

  function newRow(
    key: UsableKey,
    input: TKeyRegistrationRequest,
    fingerprint: string | undefined,
    licenseServerId: string,
    now: Date,
  ) {
    return {
      customerId: key.customerId,
      licenseServerId,
      instanceId: input.instanceId,
      product: input.product,
      productVersion: input.productVersion,
      serverName: input.serverName,
      hostname: input.hostname,
      os: input.os ?? null,
      registeredAt: now,
      registeredById: key.createdByAdminId,
      registeredByEmail: key.createdByEmail,
      registrationKeyId: key.id,
      tags: key.tags,
      // The machine it registered from is the one it is kept on (clone detection).
      machineFingerprint: fingerprint ?? null,
      fingerprintSeenAt: fingerprint === undefined ? null : now,
    };
  }

  /** The key's use is counted last, so its row is held only for the commit; the answer names the customer. */
  async function countUse(tx: Tx, key: UsableKey, now: Date) {
    if (!(await registrationKeys.use(tx, key.id, now))) throw new KeyGone();
    return customerRefOf(tx, key.customerId);
  }

  const registerNow: KeyStep = async (tx, key, input, { requestedFrom, fingerprint }) => {
    const now = clock.now();
    const { licenseServer, active: replaced } = await prepare(tx, key, input, fingerprint, now, true);
    await removal.removeInTransaction(tx, {
      customerId: key.customerId,
      ids: replaced.map((old) => old.id),
      reason: 'replaced',
      actor: { type: 'system', id: null, label: 'A newer registration of the same server' },
      now,
    });
    const credential = randomSecret();
    const row = await insertRegistration(tx, {
      ...newRow(key, input, fingerprint, licenseServer.id, now),
      credentialHash: sha256(credential),
    });
    const entry = auditOf(key, row, requestedFrom);
    await audit.record(tx, {
      ...entry,
      action: 'registration.created',
      details: { ...entry.details, approval: 'automatic' },
    });
    await outbox.enqueue(tx, {
      customerId: key.customerId,
      type: 'registration.created',
      at: now,
      data: { server: serverOf(row) },
    });
    const customer = await countUse(tx, key, now);
    return {
      status: 201 as const,
      body: {
        status: 'registered' as const,
        registrationId: row.id,
        credential,
        customer,
        registeredAt: row.registeredAt.toISOString(),
      },
    };
  };

  const requestApproval: KeyStep = async (tx, key, input, { requestedFrom, fingerprint }) => {
    const now = clock.now();
    // A request must not rename a working server before an admin agrees.
    const { licenseServer } = await prepare(tx, key, input, fingerprint, now, false);
    const row = await insertRegistration(tx, {
      ...newRow(key, input, fingerprint, licenseServer.id, now),
      pendingApproval: true,
    });
    const pollToken = randomSecret();
    const pollTokenHash = sha256(pollToken);
    await insertPendingPoll(tx, {
      id: codeIdOf(pollTokenHash),
      registrationId: row.id,
      pollTokenHash,
      registration: row,
      requestedFrom,
      now,
      expiresAt: new Date(now.getTime() + config.CODE_TTL_SECONDS * 1000),
      interval: config.POLL_INTERVAL_SECONDS,
    });
    await audit.record(tx, { ...auditOf(key, row, requestedFrom), action: 'registration.requested' });
    await outbox.enqueue(tx, {
      customerId: key.customerId,
      type: 'registration.pending_approval',
      at: now,
      data: { server: serverOf(row), requestedFrom, registrationKey: { id: key.id, description: key.description } },
    });
    const customer = await countUse(tx, key, now);
    return {
      status: 202 as const,
      body: {
        status: 'pending-approval' as const,
        registrationId: row.id,
        pollToken,
        interval: config.POLL_INTERVAL_SECONDS,
        customer,
        verificationUri,
      },
    };
  };

  return { register };
}

export type KeyRegistrations = ReturnType<typeof createKeyRegistrations>;
