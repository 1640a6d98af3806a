import type { TUsageReport } from '@reg/contracts/usage-api';
import type { Context } from '../context.ts';
import { readReportFile } from '../report-file.ts';
import { buildReports, generateSampleRecords } from '../sample-usage.ts';
import { DEFAULT_PRODUCT_VERSION } from './identity.ts';

export interface UploadOptions {
  file?: string;
  sampleDays?: number;
  /** Minutes between generated snapshots (default: one record a day). */
  intervalMinutes?: number;
  productVersion?: string;
}

/**
 * The reports of --file and --sample-days (the file read first: a typo in its name is worth saying
 * even before registering). A bad --file throws its ReportFileError, printed in the CLI's error format.
 */
export function readNewReports(ctx: Context, options: UploadOptions): TUsageReport[] {
  const productVersion = options.productVersion ?? DEFAULT_PRODUCT_VERSION;
  let fresh: TUsageReport[] = [];
  if (options.file) fresh = readReportFile(options.file, productVersion);
  if (options.sampleDays !== undefined) {
    const records = generateSampleRecords({
      days: options.sampleDays,
      seed: ctx.state.instanceId,
      ...(options.intervalMinutes !== undefined && { intervalMinutes: options.intervalMinutes }),
    });
    fresh = fresh.concat(buildReports(records, { productVersion }));
  }
  return fresh;
}
