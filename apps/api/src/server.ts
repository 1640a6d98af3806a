import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSOLE_DIST, buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { serveMetrics } from './plugins/metrics.ts';
import type { Db } from '@reg/db/client';
import { systemClock } from './lib/clock.ts';
import { resolveSecrets } from './lib/secrets.ts';
import { createStandaloneAdminService } from './admin-services.ts';
import { startNotificationLoop } from './modules/notifications/notification-loop.ts';
import { formatFirstSignIn, seedIfEmpty } from './seed.ts';

const say = (line: string) => console.log(line);

/** The admins service alone, for the seed: the app (and its secrets) is built after it. */
const adminServiceOver = (db: Db) => createStandaloneAdminService(db, systemClock);

async function main() {
  const config = loadConfig();
  if (config.SERVE_CONSOLE) buildConsoleIfStale();
  const database = await openDatabase(config, say);
  const firstSignIn = await seedIfEmpty(adminServiceOver(database.db), config, say);
  const secrets = await resolveSecrets(database.db, config);
  const app = await buildApp({ config, db: database.db, secrets });
  await app.services.usage.ensurePartitions();
  startHousekeeping(app.services);
  const { notifications, staleRegistrations } = app.services;
  const notificationLoop = startNotificationLoop(
    {
      deliverDue: () => app.metrics.timeSweep('notification_delivery', notifications.deliverDue),
      // The stale-registration sweep (docs/stale-registrations.md) runs with the not-reporting
      // one, so its events are delivered in the same pass.
      sweep: async () => {
        const transitions = await app.metrics.timeSweep('not_reporting', notifications.sweep);
        const { announced, removed } = await app.metrics.timeSweep('stale_registrations', staleRegistrations.sweep);
        // The customer usage rollup's deltas (ADR 011); not counted as notification work.
        await app.metrics.timeSweep('usage_rollup_fold', app.services.usage.foldCustomerRollup);
        return transitions + announced + removed;
      },
    },
    { sweepSeconds: config.NOTIFY_SWEEP_SECONDS, log: (message) => app.log.warn(message) },
  );
  app.addHook('preClose', () => notificationLoop.stop());

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  if (config.METRICS_PORT) {
    const metricsServer = await serveMetrics(app.metrics, config.METRICS_PORT, config.METRICS_HOST);
    app.addHook('onClose', (_app, done) => metricsServer.close(() => done()));
    say(`Prometheus metrics at http://${config.METRICS_HOST}:${config.METRICS_PORT}/metrics`);
  }
  await app.listen({ port: config.PORT, host: config.HOST });
  say(`Console and API at ${config.PUBLIC_URL} (API description: ${config.PUBLIC_URL}/api/docs)`);
  // Last, once ready: above it is the console build and the start-up; below, only request logs.
  if (firstSignIn) say(formatFirstSignIn(firstSignIn, config.PUBLIC_URL));
}

/**
 * What the console is built from, its shared contracts included. Where they are absent (an
 * image holding apps/console/dist alone), the build is taken as it is.
 */
const CONSOLE_SOURCES = [
  '../src',
  '../index.html',
  '../vite.config.ts',
  '../package.json',
  '../../../packages/contracts/src',
].map((source) => path.join(CONSOLE_DIST, source));

/** The newest modification time (ms) among files and folders (a deleted file changes its folder's). */
function newestChange(paths: string[]): number {
  let newest = 0;
  for (const top of paths.filter((p) => existsSync(p))) {
    const files = statSync(top).isDirectory()
      ? [top, ...readdirSync(top, { recursive: true }).map((file) => path.join(top, String(file)))]
      : [top];
    for (const file of files) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

/**
 * `npm start` builds the console on a fresh clone, and again when its sources are newer than
 * the build (after a pull or an edit), so the console served is the one checked out.
 */
function buildConsoleIfStale() {
  const index = path.join(CONSOLE_DIST, 'index.html');
  if (existsSync(index) && newestChange(CONSOLE_SOURCES) <= statSync(index).mtimeMs) return;
  say('Building the console (first start, or its sources changed)…');
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const result = spawnSync('npm', ['run', 'build', '-w', '@reg/console'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Building the console failed; see the output above.');
}

/** Expired codes, sessions and old attempt counters are purged every few minutes. */
function startHousekeeping(services: Awaited<ReturnType<typeof buildApp>>['services']) {
  const run = async () => {
    await services.codes.purgeExpired();
    await services.sessions.purgeExpired();
    await services.limits.purge();
    await services.apiClients.purgeExpiredTokens();
    await services.usage.ensurePartitions();
    await services.notifications.purgeOld();
    await services.mutes.purgeOld();
  };
  setInterval(
    () => run().catch((error) => console.warn('housekeeping failed:', (error as Error).message)),
    5 * 60_000,
  ).unref();
}

main().catch((error) => {
  console.error(error instanceof ConfigError ? error.message : explain(error));
  process.exit(1);
});

/** The usual start-up failures in words that say what to do; anything else as it came. */
function explain(error: unknown): unknown {
  const { code, port, syscall } = error as { code?: string; port?: number; syscall?: string };
  if (syscall !== 'listen') return error;
  if (code === 'EADDRINUSE')
    return `Port ${port} is already in use (is the service already running?). Stop that process, or start this one on another port: PORT=8081 npm start`;
  if (code === 'EACCES') return `Not allowed to listen on port ${port}; choose a port above 1023: PORT=8080 npm start`;
  return error;
}
