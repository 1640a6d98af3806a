import type { TUsageReport } from '@reg/contracts/usage-api';
import type { Context } from '../context.ts';
import { deliverSpool, formatProgress } from '../delivery.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { buildReports, generateSampleRecords } from '../sample-usage.ts';
import { readReportFile, ReportFileError } from '../report-file.ts';
import { isRegistered } from '../state.ts';
import { handleRejectedCredential, isCredentialRejected, reportCloudError } from './cloud-messages.ts';
import { DEFAULT_PRODUCT_VERSION } from './register.ts';

export interface UploadOptions {
  file?: string;
  sampleDays?: number;
  productVersion?: string;
}

/** The reports of --file and --sample-days (the file read first: a typo in its name is worth saying even before registering). */
function newReports(ctx: Context, options: UploadOptions): TUsageReport[] {
  const productVersion = options.productVersion ?? DEFAULT_PRODUCT_VERSION;
  let fresh: TUsageReport[] = [];
  if (options.file) fresh = readReportFile(options.file, productVersion);
  if (options.sampleDays !== undefined) {
    const records = generateSampleRecords({ days: options.sampleDays, seed: ctx.state.instanceId });
    fresh = fresh.concat(buildReports(records, { productVersion }));
  }
  return fresh;
}

/** The new reports, or, for a bad --file, its exit code once the problem is said in one line. */
export function readNewReports(ctx: Context, options: UploadOptions): TUsageReport[] | ExitCode {
  try {
    return newReports(ctx, options);
  } catch (error) {
    if (!(error instanceof ReportFileError)) throw error;
    ctx.io.err(error.message);
    return error.exitCode;
  }
}

export async function upload(ctx: Context, options: UploadOptions): Promise<ExitCode> {
  const { state, io } = ctx;
  const fresh = readNewReports(ctx, options);
  if (typeof fresh === 'number') return fresh;
  if (!isRegistered(state)) {
    io.err('This server is not registered, so it cannot upload usage. Run register first.');
    return EXIT.notRegistered;
  }
  // Spooled before the first attempt: from here on, nothing is lost, whatever happens.
  for (const report of fresh) ctx.spool.add(report);
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
