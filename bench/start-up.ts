/**
 * Start time and idle memory of the API as `npm start` runs it, three runs per way of running
 * (`npm run bench:start-up`). Not part of `npm run bench`: a separate, quick measurement for
 * the "no transpiler at run time" change in bench/changes.md.
 *
 * Each run starts the API process on an already migrated database (PostgreSQL's own start is
 * the same for every way and left out) with the console already built, and measures from
 * spawn until `/readyz` answers 200 (and the CPU time used by then), then the process's RSS after
 * 10 s of idleness.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePort } from '@reg/db/embedded';
import { cleanupAll, ROOT, startDatabase } from './processes.ts';

const WAYS: Record<string, string[]> = {
  'tsx (before)': ['--import', 'tsx', 'apps/api/src/server.ts'],
  'built JavaScript (npm start)': ['scripts/run-api.mjs', 'server'],
};
const RUNS = 3;
const IDLE_MS = 10_000;

/** CPU time (user + system) the process has used so far: less at the mercy of a busy machine than wall time. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10; // utime, stime in ticks of 10 ms
};
const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function once(args: string[], databaseUrl: string): Promise<{ readyMs: number; cpuMs: number; idleMb: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      SESSION_SECRET: 'start-up-measurement-session-secret-0123456789',
      CODE_HMAC_SECRET: 'start-up-measurement-code-secret-0123456789ab',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${args.join(' ')} exited with ${child.exitCode}`);
      const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const readyMs = performance.now() - started;
    const cpu = cpuMs(child.pid!);
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    return { readyMs, cpuMs: cpu, idleMb: rssMb(child.pid!) };
  } finally {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
}

const only = process.argv.slice(2);
try {
  const { url } = await startDatabase(() => {});
  for (const [name, args] of Object.entries(WAYS)) {
    if (only.length && !only.some((word) => name.includes(word))) continue;
    const runs: { readyMs: number; cpuMs: number; idleMb: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(args, url));
    const list = (pick: (r: (typeof runs)[number]) => number, unit: string) =>
      runs.map((r) => `${Math.round(pick(r))} ${unit}`).join(', ');
    console.log(
      `${name} on Node ${process.versions.node}: ready ${list((r) => r.readyMs, 'ms')}; CPU to ready ${list((r) => r.cpuMs, 'ms')}; idle RSS ${list((r) => r.idleMb, 'MB')}`,
    );
  }
} finally {
  await cleanupAll();
}
