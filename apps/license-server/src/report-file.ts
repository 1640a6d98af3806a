import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { MAX_RECORDS_PER_REPORT, ZUsageReport, type TUsageReport } from '@reg/contracts/usage-api';
import { z } from 'zod';
import { CliError } from '@reg/cli-kit/cli';
import { EXIT } from './exit-codes.ts';
import { buildReports } from './sample-usage.ts';

/**
 * Why `upload --file` can't use a file, as the CLI's one error format: what is wrong, with the
 * expected format as the hint where the content is at fault, and the exit code.
 */
export class ReportFileError extends CliError {
  constructor(message: string, exitCode: (typeof EXIT)['reportFileMissing' | 'reportFileInvalid'], hint?: string) {
    super(message, exitCode, hint);
  }
}

const FORMAT_HINT =
  'Expected {"records": [{periodStart, periodEnd, productCode, edition, licenseModel, installed, inUse, peakInUse}, …]}; see --help.';

/**
 * A report file, checked against the contract's schema. It may leave out reportId,
 * collectedAt and server (filled in here), or be a bare array of records; more records than
 * one report holds are split into several reports, each with its own id.
 */
export function readReportFile(file: string, productVersion: string, now = new Date()): TUsageReport[] {
  const raw = parseJson(file, readText(file));
  if (raw === null || typeof raw !== 'object')
    throw new ReportFileError(`${file} is not a usage report.`, EXIT.reportFileInvalid, FORMAT_HINT);
  const draft: Record<string, unknown> = Array.isArray(raw) ? { records: raw } : (raw as Record<string, unknown>);
  const report = {
    reportId: draft.reportId ?? randomUUID(),
    collectedAt: draft.collectedAt ?? now.toISOString(),
    server: draft.server ?? { productVersion },
    records: draft.records,
  };
  const records = Array.isArray(draft.records) ? draft.records : [];
  if (records.length <= MAX_RECORDS_PER_REPORT) return [check(file, ZUsageReport, { ...draft, ...report })];
  // Too big for one report: checked as one list of records, then split.
  const whole = check(file, z.strictObject({ records: ZUsageReport.shape.records.element.array() }), { records });
  return buildReports(whole.records, { productVersion, now: new Date(String(report.collectedAt)) });
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: string }).code;
    const why =
      code === 'ENOENT'
        ? `there is no file ${file}${isAbsolute(file) ? '' : ` (looked in ${process.cwd()})`}.`
        : code === 'EISDIR'
          ? `${file} is a folder, not a report file.`
          : code === 'EACCES'
            ? `not allowed to read ${file}.`
            : `cannot read ${file}: ${(error as Error).message}.`;
    throw new ReportFileError(why, EXIT.reportFileMissing);
  }
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ReportFileError(`${file} is not valid JSON: ${(error as Error).message}.`, EXIT.reportFileInvalid);
  }
}

function check<T>(file: string, schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [first] = result.error.issues;
  const more = result.error.issues.length - 1;
  throw new ReportFileError(
    `${file}: ${where(first!.path)}: ${first!.message}${more ? ` (and ${more} more problem${more > 1 ? 's' : ''})` : ''}.`,
    EXIT.reportFileInvalid,
    FORMAT_HINT,
  );
}

/** records[3].inUse, as one would write it in JavaScript. */
function where(path: PropertyKey[]): string {
  if (!path.length) return 'the file';
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i ? '.' : ''}${String(key)}`)).join('');
}
