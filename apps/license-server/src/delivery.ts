import { CloudError } from './cloud-client.ts';
import type { Context } from './context.ts';

/**
 * Sends what waits in the spool, oldest first, removing each report only once the
 * cloud has it (202, or 200 duplicate for a retry it already stored).
 */
export interface DeliveryResult {
  delivered: number;
  records: number;
  rejected: { reportId: string; path: string; reason: string }[];
  /** Reports still in the spool afterwards. */
  remaining: number;
  /** Why delivery stopped early: unreachable, rate limited, credential refused, server error. */
  stoppedBy: CloudError | undefined;
}

/** Answers that will be the same on every retry: keeping the report would block the spool forever. */
const NEVER_ACCEPTED = new Set([400, 409, 413, 415]);

type DeliveryProgress = (delivered: number, total: number, records: number) => void;

export async function deliverSpool(
  ctx: Context,
  credential: string,
  onProgress?: DeliveryProgress,
): Promise<DeliveryResult> {
  const queue = ctx.spool.list();
  const result: DeliveryResult = {
    delivered: 0,
    records: 0,
    rejected: [],
    remaining: queue.length,
    stoppedBy: undefined,
  };
  for (const report of queue) {
    if (ctx.signal.aborted) break;
    try {
      await ctx.client.uploadUsage(credential, report.json);
      ctx.spool.remove(report.name);
      result.delivered += 1;
      result.records += report.recordCount;
      result.remaining -= 1;
      onProgress?.(result.delivered, queue.length, result.records);
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      // A copy refused (409 duplicate_instance) is about the machine, not the report: it stays in the spool.
      const refusesReport = error.kind === 'http' && error.error !== 'duplicate_instance';
      if (refusesReport && error.status !== undefined && NEVER_ACCEPTED.has(error.status)) {
        const reason = `${error.status} ${error.error}: ${error.message}`;
        const path = ctx.spool.reject(report.name, reason);
        result.rejected.push({ reportId: report.reportId, path, reason });
        result.remaining -= 1;
        continue;
      }
      result.stoppedBy = error;
      break;
    }
  }
  return result;
}

export function formatProgress(delivered: number, total: number, records: number): string {
  return `Uploaded ${delivered}/${total} reports (${records.toLocaleString('en-US')} records)`;
}
