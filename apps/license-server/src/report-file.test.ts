import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from './exit-codes.ts';
import { readReportFile, ReportFileError } from './report-file.ts';
import { generateSampleRecords } from './sample-usage.ts';

const dir = mkdtempSync(join(tmpdir(), 'report-file-'));
const now = new Date('2026-11-27T10:30:00Z');
const record = generateSampleRecords({ days: 1, now })[0]!;

function fileWith(name: string, content: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function failure(file: string): ReportFileError {
  try {
    readReportFile(file, '1.0.0', now);
  } catch (error) {
    if (error instanceof ReportFileError) return error;
    throw error;
  }
  throw new Error('the file was accepted');
}

describe('upload --file', () => {
  // The CLI prints a failure as `error: <message>` and `hint: <hint>` (packages/cli-kit).
  it('fills in what a report may leave out, from {records} or a bare array', () => {
    const [report] = readReportFile(fileWith('ok.json', { records: [record] }), '1.0.0', now);
    expect(report).toMatchObject({
      collectedAt: now.toISOString(),
      server: { productVersion: '1.0.0' },
      records: [record],
    });
    expect(readReportFile(fileWith('array.json', [record]), '1.0.0', now)[0]!.records).toEqual([record]);
  });

  it('names a missing file in one line (exit 13)', () => {
    const error = failure(join(dir, 'nowhere.json'));
    expect(error.exitCode).toBe(EXIT.reportFileMissing);
    expect(error.message).toBe(`there is no file ${join(dir, 'nowhere.json')}.`);
    expect(error.hint).toBeUndefined();
    expect(failure(dir).message).toBe(`${dir} is a folder, not a report file.`);
  });

  it('says which field is wrong, and what was expected as the hint (exit 14)', () => {
    const file = fileWith('wrong.json', { records: [record, { ...record, inUse: 'many' }] });
    const error = failure(file);
    expect(error.exitCode).toBe(EXIT.reportFileInvalid);
    expect(error.message).toBe(`${file}: records[1].inUse: Invalid input: expected number, received string.`);
    expect(error.hint).toMatch(/^Expected \{"records": \[\{periodStart, periodEnd, productCode/);
  });

  it('counts further problems instead of listing them, and catches unknown and missing fields', () => {
    const { inUse: _dropped, ...missing } = record;
    const file = fileWith('several.json', { record: [record], records: [missing, { ...record, inUse: -1 }] });
    expect(failure(file).message).toMatch(/^.+several\.json: .+ \(and 2 more problems\)\.$/);
  });

  it('refuses a file that is not JSON, or not a report at all (exit 14)', () => {
    const notJson = failure(fileWith('report.csv', 'periodStart,periodEnd\n'));
    expect(notJson.exitCode).toBe(EXIT.reportFileInvalid);
    expect(notJson.message).toMatch(/report\.csv is not valid JSON: /);
    const notReport = failure(fileWith('number.json', '42'));
    expect(notReport.message).toMatch(/number\.json is not a usage report\.$/);
    expect(notReport.hint).toMatch(/^Expected /);
    expect(failure(fileWith('empty.json', { records: [] })).message).toMatch(/: records: Too small/);
  });
});
