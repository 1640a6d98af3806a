import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { baseUrl } from './env.ts';
import { RunningProcess, type Exit } from './process.ts';

const CLI = 'apps/license-server/src/main.ts';

interface Registration {
  /** As printed: XXXX-XXXX. */
  code: string;
  /** The console link the CLI prints (`…/product-registrations?code=XXXXXXXX`). */
  link: string;
  process: RunningProcess;
}

/**
 * One License Server: the real CLI with its own temp --state-dir, talking to the test server.
 * Every command it starts is stopped, and its state removed, by dispose().
 */
export class LicenseServer {
  readonly stateDir = mkdtempSync(path.join(os.tmpdir(), 'reg-e2e-ls-'));
  private readonly running: RunningProcess[] = [];

  constructor(
    readonly serverName: string,
    readonly hostname = `${serverName}.e2e.example.com`,
  ) {}

  start(command: string, ...args: string[]): RunningProcess {
    const child = new RunningProcess(`license-server ${command}`, CLI, [
      command,
      '--cloud',
      baseUrl(),
      '--state-dir',
      this.stateDir,
      ...args,
    ]);
    this.running.push(child);
    return child;
  }

  /** Runs a command to its end. */
  run(command: string, ...args: string[]): Promise<Exit> {
    return this.start(command, ...args).waitForExit(60_000);
  }

  /** Starts `register` and waits for the code and link it prints; it keeps polling until an admin acts. */
  async register(): Promise<Registration> {
    const child = this.start(
      'register',
      '--server-name',
      this.serverName,
      '--hostname',
      this.hostname,
      '--os',
      'Windows Server 2022 Datacenter',
    );
    const [, code] = await child.waitForLine(/^Registration code: ([0-9A-Z]{4}-[0-9A-Z]{4})$/);
    const [link] = await child.waitForLine(/^\s*https?:\/\/\S+\?code=\S+$/);
    return { code: code!, link: link!.trim(), process: child };
  }

  async dispose(): Promise<void> {
    await Promise.all(this.running.map((child) => child.stop()));
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}
