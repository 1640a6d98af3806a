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

export async function upload(ctx: Context, options: UploadOptions): Promise<ExitCode> {
  const { state, io } = ctx;
  const productVersion = options.productVersion ?? DEFAULT_PRODUCT_VERSION;
  let fresh: TUsageReport[] = [];
  // The file first: a typo in its name is worth saying even before registering.
  if (options.file) {
    try {
      fresh = readReportFile(options.file, productVersion);
    } catch (error) {
      if (!(error instanceof ReportFileError)) throw error;
      io.err(error.message);
      return error.exitCode;
    }
  }
  if (!isRegistered(state)) {
    io.err('This server is not registered, so it cannot upload usage. Run register first.');
    return EXIT.notRegistered;
  }
  if (options.sampleDays !== undefined) {
    const records = generateSampleRecords({ days: options.sampleDays, seed: state.instanceId });
    fresh = fresh.concat(buildReports(records, { productVersion }));
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
