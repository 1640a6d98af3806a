import { gunzipSync } from 'node:zlib';
import { LIMITS } from '@reg/contracts/common';
import { ZOfflineUsageFile, type TUsageFileResult } from '@reg/contracts/offline-api';
import { usageMacValid } from '@reg/contracts/offline-crypto';
import { ZUsageReport, type TUsageReport } from '@reg/contracts/usage-api';
import { AppError } from '../../lib/errors.ts';
import type { RegistrationRow } from '../registrations/registrations.service.ts';
import { nestsTooDeep } from '../usage/json-depth.ts';
import type { UsageIngestion } from '../usage/usage.service.ts';

export interface UsageFile {
  name: string;
  bytes: Buffer;
  /** Cut off at the upload's per-file limit (2 MiB) while receiving. */
  truncated: boolean;
}

interface Target extends RegistrationRow {
  offlineRequest: { usageKey: string } | null;
}

interface Context {
  customerId: string;
  findTarget: (registrationId: string) => Promise<Target | null>;
  ingest: UsageIngestion['ingest'];
}

/** A file the cloud will not take, and why, in the same words (and codes, where there are) as online uploads. */
class Refusal extends Error {
  constructor(
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];

/** Plain JSON or gzip; inflating stops at 4 MiB (zlib's maxOutputLength), so a gzip bomb costs no more. */
function inflate(file: UsageFile): string {
  if (file.truncated) throw new Refusal('payload_too_large', 'The file is larger than 2 MiB.');
  if (file.bytes[0] !== GZIP_MAGIC[0] || file.bytes[1] !== GZIP_MAGIC[1]) return file.bytes.toString('utf8');
  try {
    return gunzipSync(file.bytes, { maxOutputLength: LIMITS.usageInflatedBytes }).toString('utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new Refusal('payload_too_large', 'The file is larger than 4 MiB once decompressed.');
    throw new Refusal('invalid_file', 'The file is damaged: it is not valid gzip.');
  }
}

/** The JSON, or undefined when it is not JSON or nests too deep to parse on the event loop (json-depth.ts). */
function parseJson(text: string): unknown {
  if (nestsTooDeep(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const notAUsageFile = () =>
  new Refusal('invalid_file', 'This is not a usage file written by "license-server upload --offline".');

/** Checks one usage file in the order that leaks nothing: format, whose it is, its MAC, then the report. */
async function verified(file: UsageFile, ctx: Context): Promise<{ target: Target; report: TUsageReport }> {
  const envelope = ZOfflineUsageFile.safeParse(parseJson(inflate(file)));
  if (!envelope.success) throw notAUsageFile();
  const { registrationId, instanceId, reportId, report, mac } = envelope.data;
  const target = await ctx.findTarget(registrationId);
  // Another customer's registration reads as an unknown one: ids can't be probed.
  if (!target || target.customerId !== ctx.customerId || target.instanceId !== instanceId)
    throw new Refusal(
      'not_this_customer',
      'This file is from a License Server that is not registered to this account.',
    );
  if (!target.offlineRequest)
    throw new Refusal(
      'not_registered_offline',
      'This License Server was registered with a code; it uploads its usage itself (upload without --offline).',
    );
  if (!usageMacValid(target.offlineRequest.usageKey, report, mac))
    throw new Refusal(
      'file_tampered',
      'The file was changed after the License Server wrote it, or another server wrote it (its HMAC does not match).',
    );
  if (target.removedAt)
    throw new Refusal(
      'registration_removed',
      'This registration was removed; the cloud no longer collects usage from it.',
    );
  const parsed = ZUsageReport.safeParse(parseJson(report));
  if (!parsed.success || parsed.data.reportId !== reportId) throw notAUsageFile();
  return { target, report: parsed.data };
}

export async function processUsageFile(file: UsageFile, ctx: Context): Promise<TUsageFileResult> {
  let reportId: string | null = null;
  try {
    const { target, report } = await verified(file, ctx);
    reportId = report.reportId;
    const { status, body } = await ctx.ingest(target, report);
    return { file: file.name, outcome: status === 202 ? 'accepted' : 'duplicate', reportId, accepted: body.accepted };
  } catch (error) {
    // AppErrors of the ingestion (report_conflict, registration_removed, invalid_request) refuse the file alone.
    if (error instanceof Refusal || error instanceof AppError)
      return {
        file: file.name,
        outcome: 'refused',
        reportId,
        accepted: 0,
        error: error instanceof AppError ? error.code : error.error,
        message: error.message,
      };
    throw error;
  }
}
