import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startEmbeddedPostgres } from '@reg/db/embedded';
import { migrate } from '@reg/db/migrator';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Everything the bench started, stopped in reverse order on the way out (also on failure). */
const cleanups: { name: string; run: () => Promise<unknown> }[] = [];
export const onCleanup = (name: string, run: () => Promise<unknown>) => cleanups.push({ name, run });

export async function cleanupAll(): Promise<void> {
  while (cleanups.length) {
    const { name, run } = cleanups.pop()!;
    try {
      await run();
    } catch (error) {
      console.warn(`bench: stopping ${name} failed: ${(error as Error).message}`);
    }
  }
}

/** A fresh embedded PostgreSQL in a temporary directory on a free port, migrated. */
export async function startDatabase(log: (line: string) => void): Promise<{ url: string }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'reg-bench-pg-'));
  onCleanup('temporary data directory', () => rm(dataDir, { recursive: true, force: true }));
  const server = await startEmbeddedPostgres(dataDir, { port: await freePort(), database: 'bench' });
  onCleanup('PostgreSQL', () => server.stop());
  const { applied } = await migrate(server.url);
  log(`PostgreSQL at ${server.url.replace(/\/\/[^@]+@/, '//')} (${applied.length} migrations)`);
  return { url: server.url };
}

export interface Child {
  process: ChildProcess;
  pid: number;
  url: string;
  output: () => string;
}

/** Starts `node --import tsx <script>` with env, waits until `readyPath` answers, and registers its stop. */
export async function startNode(
  name: string,
  script: string,
  env: Record<string, string>,
  port: number,
  readyPath: string,
  nodeArgs: string[] = [],
): Promise<Child> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  onCleanup(name, () => stop(child));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(url + readyPath);
      if (response.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${name} did not start within 60 s:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { process: child, pid: child.pid!, url, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export { freePort };
