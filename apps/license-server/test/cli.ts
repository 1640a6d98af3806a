import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the License Server CLI as a real process, the way an admin would, so the tests
 * cover argument parsing, exit codes, signals and the state directory on disk.
 */
const ROOT = resolve(fileURLToPath(import.meta.url), '../../../..');
const MAIN = join(ROOT, 'apps/license-server/src/main.ts');

/** Per-test time limit: each test starts the CLI (node + tsx) several times, seconds each on a busy machine. */
export const SLOW = 120_000;

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface RunningCli {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the first match of `pattern` in stdout, else stderr (rejects if the process ends first). */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpMatchArray>;
  exited: Promise<CliResult>;
}

export function newStateDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'ls-it-')), 'state');
}

/** A loopback URL where nothing listens (a port just freed): a cloud or a proxy that is down. */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

/** `command` on a new installation (a state directory of its own) against the cloud at `cloudUrl`. */
export function runNew(
  cloudUrl: string,
  command: string,
  more: string[] = [],
  env: Record<string, string | undefined> = {},
): Promise<CliResult> {
  return runCli([command, '--cloud', cloudUrl, '--state-dir', newStateDir(), ...more], env);
}

function withoutProxies(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const kept = { ...env };
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) {
    delete kept[name];
    delete kept[name.toLowerCase()];
  }
  return kept;
}

export function startCli(args: string[], env: Record<string, string | undefined> = {}): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    // No proxy from the test runner's environment: these tests talk to loopback servers.
    env: { ...withoutProxies(process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<CliResult>((done) => child.on('close', (code) => done({ code, stdout, stderr })));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    waitFor: (pattern, timeoutMs = 60_000) =>
      new Promise((done, fail) => {
        const started = Date.now();
        const timer = setInterval(() => {
          const match = stdout.match(pattern) ?? stderr.match(pattern);
          if (match) {
            clearInterval(timer);
            done(match);
          } else if (child.exitCode !== null || Date.now() - started > timeoutMs) {
            clearInterval(timer);
            fail(new Error(`no ${pattern} in output (exit ${child.exitCode}):\n${stdout}\n${stderr}`));
          }
        }, 25);
      }),
  };
}

export function runCli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return startCli(args, env).exited;
}
