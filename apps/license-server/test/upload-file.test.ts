import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../src/exit-codes.ts';
import { SLOW, newStateDir, runCli } from './cli.ts';

/** `upload --file` as a person types it: a wrong file is said in plain words, with its own exit code. */
describe('upload --file, the real process', { timeout: SLOW }, () => {
  it('a missing file: one error line naming it, exit 13', async () => {
    const result = await runCli(['upload', '--file', 'no-such-report.json', '--state-dir', newStateDir()]);
    expect(result.code).toBe(EXIT.reportFileMissing);
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^error: there is no file no-such-report\.json \(looked in .+\)\.$/),
    ]);
  });

  it('a wrong file: the field as the error, what was expected as the hint, exit 14', async () => {
    const stateDir = newStateDir();
    const file = join(stateDir, '..', 'report.json');
    writeFileSync(file, JSON.stringify({ records: [{ periodStart: 'yesterday' }] }));
    const result = await runCli(['upload', '--file', file, '--state-dir', stateDir]);
    expect(result.code).toBe(EXIT.reportFileInvalid);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^error: .+report\.json: records\[0\]\.periodStart: .+ \(and \d+ more problems\)\.$/);
    expect(lines[1]).toMatch(/^hint: Expected \{"records": /);
  });

  it('--help documents both exit codes', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(EXIT.ok);
    expect(stdout).toContain('13   upload --file: the file is not there or cannot be read');
    expect(stdout).toContain('14   upload --file: the file is not a usage report');
  });
});
