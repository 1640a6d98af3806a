import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SEED, REPO_ROOT } from './support/env.ts';

/**
 * Starts the real server (API + built console + embedded PostgreSQL in a fresh temp
 * DATA_DIR) on a free port, and returns the teardown that stops it and removes the data.
 * Tests read E2E_BASE_URL and E2E_DATA_DIR (workers inherit this process's environment).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(path.join(REPO_ROOT, 'apps/console/dist/index.html'))) {
    console.log('[e2e] apps/console/dist is missing: the server builds the console first (or run `npm run build`).');
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'reg-e2e-'));
  // As root, the embedded PostgreSQL runs as a user of its own, which must reach DATA_DIR (mkdtemp makes it 0700).
  chmodSync(dataDir, 0o755);
  const logFile = path.join(dataDir, 'server.log');
  const log = createWriteStream(logFile);

  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.DATABASE_URL;
  delete env.NODE_ENV;
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: baseUrl,
    DATA_DIR: path.join(dataDir, 'data'),
    SEED_CUSTOMER_NAME: SEED.customerName,
    SEED_ADMIN_EMAIL: SEED.email,
    SEED_ADMIN_PASSWORD: SEED.password,
    // The tests sign in with it: the seed's password is otherwise temporary (changed at first sign-in).
    SEED_ADMIN_PASSWORD_PERMANENT: 'true',
    // The License Server CLI polls at the pace the cloud gives: 1 s keeps registration tests quick.
    POLL_INTERVAL_SECONDS: '1',
    // The tests' webhook receivers listen on 127.0.0.1; mails go to the server's log, where a test reads them.
    WEBHOOK_ALLOW_PRIVATE: 'true',
    SMTP_URL: 'log',
    LOG_LEVEL: process.env.E2E_SERVER_LOG_LEVEL ?? 'warn',
  });

  const server = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout.pipe(log);
  server.stderr.pipe(log);
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));

  try {
    await waitUntilReady(baseUrl, exited, 180_000);
  } catch (error) {
    await stop(server, exited, path.join(dataDir, 'data'));
    const output = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\nServer output:\n${output.slice(-4000)}`, { cause: error });
  }

  process.env.E2E_BASE_URL = baseUrl;
  process.env.E2E_DATA_DIR = env.DATA_DIR;
  process.env.E2E_SERVER_LOG = logFile;
  console.log(`[e2e] server at ${baseUrl} (data and log in ${dataDir})`);

  return async () => {
    await stop(server, exited, path.join(dataDir, 'data'));
    log.end();
    if (process.env.E2E_KEEP_DATA) console.log(`[e2e] kept ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitUntilReady(baseUrl: string, exited: Promise<number | null>, timeoutMs: number) {
  let gone: number | null | undefined;
  void exited.then((code) => (gone = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (gone !== undefined) throw new Error(`The server exited (code ${gone}) before it was ready.`);
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server was not ready at ${baseUrl}/readyz within ${timeoutMs / 1000} s.`);
}

/** SIGTERM and wait (the server stops its PostgreSQL); SIGKILL after 20 s, then the PostgreSQL too. */
async function stop(server: ChildProcess, exited: Promise<number | null>, dataDir: string) {
  if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 20_000).unref());
  if ((await Promise.race([exited, timeout])) !== 'timeout') return;
  console.warn('[e2e] the server did not stop within 20 s; killing it.');
  server.kill('SIGKILL');
  await exited;
  const pidFile = path.join(dataDir, 'postgres', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    try {
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  }
}
