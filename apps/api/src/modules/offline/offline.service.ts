import {
  OFFLINE_FORMATS,
  type TOfflineRequestFile,
  type TOfflineRequestPreview,
  type TOfflineResponseFile,
  type TUsageFileResult,
  type TUsageFilesResult,
} from '@reg/contracts/offline-api';
import {
  encryptCredential,
  encryptionKeyUsable,
  requestHash,
  requestSignatureValid,
  usageKeyOf,
} from '@reg/contracts/offline-crypto';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { randomSecret, sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal, type Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { checkRegistrable } from '../codes/codes.service.ts';
import type { RegistrationService } from '../registrations/registrations.service.ts';
import type { UsageIngestion } from '../usage/usage.service.ts';
import { findOfflineRequest, findUsageFileTarget, insertOfflineRequest } from './offline.repository.ts';
import { processUsageFile, type UsageFile } from './usage-file.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  registrations: RegistrationService;
  usage: UsageIngestion;
  minimumVersion: string;
}

const alreadyUsed = () =>
  new AppError(
    'request_already_used',
    'This request file was already used to register a server; make a new one on the License Server (register --offline).',
  );

const DAY_MS = 24 * 3600_000;

/**
 * The file's time, told plainly: a request file is not short-lived like a code (it may wait
 * days for someone to carry it), so an old one is registered, but the admin is told.
 */
function ageWarnings(createdAt: Date, now: Date): string[] {
  const ageMs = now.getTime() - createdAt.getTime();
  if (ageMs > DAY_MS)
    return [
      `This file was made ${Math.floor(ageMs / DAY_MS)} day(s) ago. Register it only if it is the server's latest request.`,
    ];
  if (ageMs < -5 * 60_000) return ["This file's time is ahead of the cloud's clock: the server's clock may be wrong."];
  return [];
}

/**
 * Air-gapped License Servers (docs/offline-files.md): a request file registers a server as a
 * code does (the registration service's own transaction step), and usage files go through the
 * online ingestion, so duplicates and conflicts are the same as online uploads.
 */
export function createOfflineService({ db, clock, audit, registrations, usage, minimumVersion }: Deps) {
  async function checkRequest(file: TOfflineRequestFile): Promise<void> {
    if (!requestSignatureValid(file)) {
      throw new AppError(
        'request_file_invalid',
        'The request file was changed after the License Server wrote it (its signature does not match).',
      );
    }
    checkRegistrable(file, minimumVersion);
    if (!encryptionKeyUsable(file.encryptionKey)) {
      throw new AppError(
        'invalid_request',
        "The request file's encryption key is not a usable X25519 public key; make a new request file on the License Server.",
      );
    }
    if (await findOfflineRequest(db, file.requestId)) throw alreadyUsed();
  }

  /** What the file says; who looked is recorded, as for a code's preview (never the file's keys or signature). */
  async function previewRequest(principal: Principal, file: TOfflineRequestFile): Promise<TOfflineRequestPreview> {
    await checkRequest(file);
    await audit.record(db, {
      customerId: principal.customerId,
      actor: actorOf(principal),
      action: 'registration.previewed',
      target: { type: 'offline_request', id: file.requestId, label: file.serverName },
      details: {
        via: 'offline-request',
        requestCreatedAt: file.createdAt,
        hostname: file.hostname,
        instanceId: file.instanceId,
      },
    });
    return {
      requestId: file.requestId,
      createdAt: file.createdAt,
      product: file.product,
      productVersion: file.productVersion,
      serverName: file.serverName,
      hostname: file.hostname,
      os: file.os ?? null,
      instanceId: file.instanceId,
      warnings: ageWarnings(new Date(file.createdAt), clock.now()),
    };
  }

  /** Registers once per request file: its id is a primary key, kept after the registration is removed. */
  async function registerFromRequest(admin: AdminPrincipal, file: TOfflineRequestFile): Promise<TOfflineResponseFile> {
    await checkRequest(file);
    const now = clock.now();
    const credential = randomSecret();
    const { registration, encrypted } = await db
      .$transaction(async (tx) => {
        const created = await registrations.createInTransaction(
          tx,
          admin,
          { ...file, os: file.os ?? null, credentialHash: sha256(credential) },
          now,
          { via: 'offline-request', requestId: file.requestId, requestCreatedAt: file.createdAt },
        );
        // A concurrent use of the same file waits on this primary key, then fails: one winner.
        await insertOfflineRequest(tx, {
          id: file.requestId,
          customerId: admin.customerId,
          registrationId: created.id,
          requestHash: requestHash(file),
          requestCreatedAt: new Date(file.createdAt),
          usageKey: usageKeyOf(credential, created.id),
          registeredAt: now,
        });
        const ids = { requestId: file.requestId, instanceId: file.instanceId, registrationId: created.id };
        // Inside the transaction: should encryption fail after all, the registration goes too.
        return { registration: created, encrypted: encryptCredential(credential, file.encryptionKey, ids) };
      })
      .catch((error: unknown) => {
        if ((error as { code?: string }).code === 'P2002') throw alreadyUsed();
        throw error;
      });
    const ids = { requestId: file.requestId, instanceId: file.instanceId, registrationId: registration.id };
    return {
      format: OFFLINE_FORMATS.response,
      ...ids,
      serverName: registration.serverName,
      customer: { id: admin.customerId, name: admin.customerName },
      registeredAt: registration.registeredAt.toISOString(),
      credential: encrypted,
    };
  }

  /**
   * Each file on its own as it arrives (one refused file stops nothing, and only one file is
   * held in memory), then one audit event with the counts.
   */
  async function uploadUsageFiles(admin: AdminPrincipal, files: AsyncIterable<UsageFile>): Promise<TUsageFilesResult> {
    const results: TUsageFileResult[] = [];
    for await (const file of files) {
      results.push(
        await processUsageFile(file, {
          customerId: admin.customerId,
          findTarget: (id) => findUsageFileTarget(db, id),
          ingest: usage.ingest,
        }),
      );
    }
    if (results.length === 0)
      throw new AppError('invalid_request', 'Send at least one usage file, in the field "files".');
    const count = (outcome: TUsageFileResult['outcome']) => results.filter((r) => r.outcome === outcome).length;
    const summary = { accepted: count('accepted'), duplicate: count('duplicate'), refused: count('refused') };
    await audit.record(db, {
      customerId: admin.customerId,
      actor: actorOf(admin),
      action: 'usage.files_uploaded',
      target: { type: 'usage_files', id: null, label: `${results.length} usage file(s)` },
      details: { files: results.length, ...summary, records: results.reduce((n, r) => n + r.accepted, 0) },
    });
    return { results, ...summary };
  }

  return { previewRequest, registerFromRequest, uploadUsageFiles };
}

export type OfflineService = ReturnType<typeof createOfflineService>;
