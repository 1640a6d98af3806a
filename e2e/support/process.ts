import { spawn, type ChildProcess } from 'node:child_process';
import { REPO_ROOT } from './env.ts';

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * A `node --import tsx <script> …` child run from the repo root, whose stdout and stderr
 * lines can be awaited as they arrive (to read a registration code while it keeps polling).
 */
export class RunningProcess {
  readonly lines: string[] = [];
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<() => void>();
  private exit: Exit | null = null;

  constructor(
    readonly label: string,
    script: string,
    args: string[],
    env: NodeJS.ProcessEnv = {},
  ) {
    this.child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.collect(this.child.stdout!, this.stdout);
    this.collect(this.child.stderr!, this.stderr);
    const started = Date.now();
    this.exited = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        if (process.env.E2E_TIMING)
          console.log(`[e2e] ${label} ${args[0] ?? ''}: exit ${code ?? signal} after ${Date.now() - started} ms`);
        this.exit = { code, signal, stdout: this.stdout.join('\n'), stderr: this.stderr.join('\n') };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  private collect(stream: NodeJS.ReadableStream, into: string[]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const parts = (rest + chunk).split(/\r?\n/);
      rest = parts.pop() ?? '';
      for (const line of parts) this.push(line, into);
    });
    stream.on('end', () => {
      if (rest) this.push(rest, into);
      rest = '';
    });
  }

  private push(line: string, into: string[]) {
    into.push(line);
    this.lines.push(line);
    this.notify();
  }

  private notify() {
    for (const waiter of this.waiters) waiter();
  }

  get output(): string {
    return this.lines.join('\n');
  }

  /** The first line (stdout or stderr) matching `pattern`, waiting for it; fails if the process ends first. */
  waitForLine(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        for (const line of this.lines) {
          const match = line.match(pattern);
          if (match) return done(() => resolve(match));
        }
        if (this.exit) {
          done(() =>
            reject(
              new Error(
                `${this.label} exited (${this.exit?.code}) without printing ${pattern}. Output:\n${this.output}`,
              ),
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          done(() =>
            reject(new Error(`${this.label} did not print ${pattern} within ${timeoutMs} ms. Output:\n${this.output}`)),
          ),
        timeoutMs,
      );
      const done = (settle: () => void) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        settle();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** The exit, waiting at most `timeoutMs`. */
  async waitForExit(timeoutMs = 30_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`${this.label} did not exit within ${timeoutMs} ms. Output:\n${this.output}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Ends the process if it still runs (SIGTERM, then SIGKILL after 5 s). */
  async stop(): Promise<void> {
    if (this.exit) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
