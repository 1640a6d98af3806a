import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Output } from './context.ts';
import { main } from './main.ts';

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: Output = { out: (l) => out.push(l), err: (l) => err.push(l), write: () => {}, isTTY: false };
  const code = await main(argv, io, new AbortController().signal);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
const stateDir = () => join(mkdtempSync(join(tmpdir(), 'ls-main-')), 'state');

describe('the License Server command line', () => {
  it('generates its help from the command definitions, with the shared exit codes', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    for (const name of ['register', 'status', 'deregister', 'upload', 'run', 'check'])
      expect(help.stdout).toMatch(new RegExp(`^  license-server ${name}$`, 'm'));
    expect(help.stdout).toContain('13   upload --file: the file is not there or cannot be read');
    const upload = await cli('upload', '--help');
    expect(upload.stdout).toContain('--interval DURATION');
    expect(upload.stdout).toContain('Examples:');
  });

  it('says every failure as "error:" and a hint, on stderr', async () => {
    const unknown = await cli('bogus');
    expect(unknown).toMatchObject({ code: 2, stdout: '' });
    expect(unknown.stderr).toMatch(/^error: unknown command "bogus"\.\nhint: .*register/);
    const flag = await cli('status', '--nope', '--state-dir', stateDir());
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/^error: .*--nope.*\nhint: See license-server status --help\.$/);
    const offline = await cli('register', '--offline', '--state-dir', stateDir());
    expect(offline.code).toBe(2);
    expect(offline.stderr).toContain('error: register --offline needs --out');
  });

  it('spells an interval one way (--interval 15m), and still takes --interval-seconds with a warning', async () => {
    const bad = await cli('run', '--interval', '15', '--state-dir', stateDir());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--interval takes a duration such as 30s, 15m, 1h or 1d, not "15"');
    // Not registered: the interval was understood, and the command got as far as looking.
    const old = await cli('run', '--interval-seconds', '60', '--state-dir', stateDir());
    expect(old.code).toBe(3);
    expect(old.stderr).toContain('warning: --interval-seconds is deprecated and will be removed; use --interval.');
    expect((await cli('run', '--interval', '1m', '--state-dir', stateDir())).code).toBe(3);
  });

  it("says the commands' own refusals the same way, each with its exit code and next step", async () => {
    const dir = stateDir();
    const expectations: [string[], number, string, string][] = [
      [
        ['upload', '--sample-days', '1'],
        3,
        'this server is not registered, so it cannot upload usage.',
        'Run register first.',
      ],
      [['run', '--once'], 3, 'this server is not registered.', 'Run register first.'],
      [
        ['upload', '--offline', '--out', join(dir, 'usage')],
        3,
        'this server is not registered, so it cannot write usage files.',
        'Run register --offline first.',
      ],
      [
        ['register', '--import', join(dir, 'nowhere.json')],
        15,
        `${join(dir, 'nowhere.json')} is not a registration response file (reg-offline-response/1).`,
        "Give the response file the console made for this server's request file.",
      ],
    ];
    for (const [argv, code, error, hint] of expectations) {
      const result = await cli(...argv, '--state-dir', dir);
      expect(result, argv.join(' ')).toEqual({ code, stdout: '', stderr: `error: ${error}\nhint: ${hint}` });
    }
    const noFile = await cli('upload', '--file', join(dir, 'nowhere.json'), '--state-dir', dir);
    expect(noFile).toEqual({ code: 13, stdout: '', stderr: `error: there is no file ${join(dir, 'nowhere.json')}.` });
  });
});
