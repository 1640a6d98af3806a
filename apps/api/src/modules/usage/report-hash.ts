import { createHash } from 'node:crypto';
import type { TUsageReport } from '@reg/contracts/usage-api';

/**
 * What tells a retry (the same reportId and content: 200 duplicate) from a conflict (the same
 * reportId, other content: 409). Stored with the report (usage_reports.body_hash).
 *
 * "v2:" (written now): SHA-256 of the header and of the record columns as stored, the array
 * literals sent to PostgreSQL (usage.repository.ts, recordColumns: one canonical text per
 * column, times in UTC to the millisecond, texts quoted). Key order, spacing and how a time is
 * written don't change it, and it costs no JSON of its own.
 *
 * Unprefixed (v1, written before): SHA-256 of the validated report as JSON, keys in schema
 * order. A retry of a report stored then is compared by it (sameReport), so a License Server
 * retrying across an upgrade still gets its 200.
 */
export function reportHash(report: TUsageReport, columns: readonly string[]): string {
  const hash = createHash('sha256').update(
    JSON.stringify([report.reportId, report.collectedAt, report.server.productVersion, report.records.length]),
  );
  // Each column literal is self-delimiting ({...}, texts quoted and escaped): the list is unambiguous.
  for (const column of columns) hash.update('\n').update(column);
  return `v2:${hash.digest('hex')}`;
}

/** Key order of the report schema (ZUsageReport): JSON.stringify with it writes the report as zod's output would. */
const REPORT_KEYS = ['reportId', 'collectedAt', 'server', 'productVersion', 'records'];

/** The v1 hash (see above), for reports stored before v2. */
export const reportHashV1 = (report: TUsageReport) =>
  createHash('sha256')
    .update(JSON.stringify({ ...report, records: [] }, REPORT_KEYS).slice(0, -3))
    // zod's output objects have their keys in schema order, whatever the order sent.
    .update(JSON.stringify(report.records))
    .update('}')
    .digest('hex');

/** Whether a report is the one stored under its reportId with `storedHash`, by that hash's version. */
export const sameReport = (storedHash: string, report: TUsageReport, columns: readonly string[]) =>
  storedHash.startsWith('v2:') ? storedHash === reportHash(report, columns) : storedHash === reportHashV1(report);
