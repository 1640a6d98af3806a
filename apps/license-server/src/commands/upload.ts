import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { ZUsageReport, type TUsageReport } from '@reg/contracts/usage-api';
import type { Context } from '../context.ts';
import { deliverSpool, formatProgress } from '../delivery.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { buildReports, generateSampleRecords } from '../sample-usage.ts';
import { isRegistered } from '../state.ts';
import { handleRejectedCredential, isCredentialRejected, reportCloudError } from './cloud-messages.ts';
import { DEFAULT_PRODUCT_VERSION } from './register.ts';

export interface UploadOptions {
  file?: string;
  sampleDays?: number;
  productVersion?: string;
}

/** A report file may leave out reportId, collectedAt and server; they are filled in here. */
function reportsFromFile(file: string, productVersion: string): TUsageReport[] {
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown> | unknown[];
  const draft = Array.isArray(raw) ? { records: raw } : raw;
  const records = Array.isArray(draft.records) ? draft.records : [];
  const base = {
    reportId: draft.reportId ?? randomUUID(),
    collectedAt: draft.collectedAt ?? new Date().toISOString(),
    server: draft.server ?? { productVersion },
  };
  if (records.length <= 5000) return [ZUsageReport.parse({ ...base, records })];
  // Too big for one report: validated as one, then split (each part gets its own id).
  const whole = ZUsageReport.shape.records.element.array().parse(records);
  return buildReports(whole, { productVersion, now: new Date(String(base.collectedAt)) });
}

/** The reports of --file and --sample-days, spooled before any attempt: from here on, nothing is lost. */
export function spoolNewReports(ctx: Context, options: UploadOptions): void {
  const productVersion = options.productVersion ?? DEFAULT_PRODUCT_VERSION;
  let fresh: TUsageReport[] = [];
  if (options.file) fresh = reportsFromFile(options.file, productVersion);
  if (options.sampleDays !== undefined) {
    const records = generateSampleRecords({ days: options.sampleDays, seed: ctx.state.instanceId });
    fresh = fresh.concat(buildReports(records, { productVersion }));
  }
  for (const report of fresh) ctx.spool.add(report);
}

export async function upload(ctx: Context, options: UploadOptions): Promise<ExitCode> {
  const { state, io } = ctx;
  if (!isRegistered(state)) {
    io.err('This server is not registered, so it cannot upload usage. Run register first.');
    return EXIT.notRegistered;
  }
  spoolNewReports(ctx, options);
  const waiting = ctx.spool.list().length;
  if (waiting === 0) {
    io.out('Nothing to upload: the spool is empty. Use --file or --sample-days.');
    return EXIT.ok;
  }
  io.out(`Uploading ${waiting} report(s) to ${ctx.cloudUrl}…`);

  const result = await deliverSpool(ctx, state.credential, (done, total, records) =>
    io.out(formatProgress(done, total, records)),
  );
  for (const rejected of result.rejected) {
    io.err(`The cloud rejected report ${rejected.reportId} (${rejected.reason}); it was moved to ${rejected.path}.`);
  }
  if (result.stoppedBy) {
    const code = isCredentialRejected(result.stoppedBy)
      ? handleRejectedCredential(ctx, result.stoppedBy)
      : reportCloudError(ctx, result.stoppedBy);
    io.err(`${result.remaining} report(s) kept in the spool (${ctx.spool.dir}); run upload or run to send them later.`);
    return code;
  }
  if (ctx.signal.aborted) return EXIT.interrupted;
  io.out(`Done: ${result.delivered} report(s), ${result.records.toLocaleString('en-US')} records delivered.`);
  return result.rejected.length > 0 ? EXIT.notDelivered : EXIT.ok;
}
