/**
 * `npm run bench`: the numbers of docs/design.md ("The numbers it is held to"), ours beside the
 * reference in one run, written to docs/benchmarks.md. `npm run bench -- --quick` runs the
 * same code at tiny sizes in a few seconds (CI: it checks the bench works, not the numbers)
 * and writes its report to a temporary file instead.
 *
 * It starts its own embedded PostgreSQL, the API and node-oidc-provider (servers.ts); load
 * comes from autocannon in forked processes, only to 127.0.0.1. Each stage is a module of its
 * own, given the run's context; this file holds the flags, the order of the stages and the
 * report. Everything it started is stopped on the way out, also on failure.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { codeIssuance } from './code-issuance.ts';
import { consoleSize } from './console-size.ts';
import type { RunContext } from './context.ts';
import { deleteData } from './delete-data.ts';
import { fmt, signIn } from './fixtures.ts';
import { fleetEnrollment } from './fleet-enrollment.ts';
import { fleetScale } from './fleet-scale.ts';
import { cleanupAll, ROOT } from './processes.ts';
import { registrationList } from './registration-list.ts';
import { renderReport } from './report.ts';
import { OPERATOR_EMAIL, startServers } from './servers.ts';
import { usageIngestion } from './usage-ingestion.ts';
import { usageScale } from './usage-scale.ts';

const quick = process.argv.includes('--quick');
/** `--only=codes,usage,list,delete,console,usage-scale,fleet,fleet-enrollment`: a part of the run, for working on one figure (the report then goes to a temporary file). */
const only = process.argv
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const part = (name: string) => !only || only.includes(name);

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function main() {
  const started = Date.now();
  log(
    `${quick ? 'quick run (tiny sizes; the numbers mean nothing)' : 'full run'} on ${availableParallelism()} cores, Node ${process.version}`,
  );
  const run: RunContext = { quick, figures: [], notes: [], log };

  if (part('console')) consoleSize(run);

  const servers = { ...run, ...(await startServers(quick, log)) };
  if (part('codes')) await codeIssuance(servers);
  const context = { ...servers, operator: await signIn(servers.api.url, OPERATOR_EMAIL) };
  if (part('usage')) await usageIngestion(context);
  if (part('list')) await registrationList(context);
  if (part('delete')) await deleteData(context);
  if (part('usage-scale')) await usageScale(context);
  if (part('fleet')) await fleetScale(context);
  if (part('fleet') || part('fleet-enrollment')) await fleetEnrollment(context);

  const elapsed = (Date.now() - started) / 1000;
  log(`done in ${fmt(elapsed)} s`);
  writeReport(run, elapsed);
}

/** docs/benchmarks.md (a temporary file for a quick or partial run), and the figures on the console. */
function writeReport({ figures, notes }: RunContext, seconds: number) {
  const report = renderReport({
    date: new Date(),
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    quick,
    seconds,
    figures,
    notes,
    changes: readFileSync(path.join(ROOT, 'bench/changes.md'), 'utf8'),
  });
  const target = quick || only ? path.join(tmpdir(), 'benchmarks-quick.md') : path.join(ROOT, 'docs/benchmarks.md');
  writeFileSync(target, report);
  console.log(
    '\n' +
      figures
        .map(
          (f) =>
            `${f.met === false ? 'MISSED' : f.met ? 'met   ' : '      '} ${f.name}: ${f.ours}${f.reference ? ` vs ${f.reference}` : ''}${f.ratio ? ` (${f.ratio})` : ''}`,
        )
        .join('\n'),
  );
  log(`report written to ${path.relative(ROOT, target).startsWith('..') ? target : path.relative(ROOT, target)}`);
}

let failed = false;
const stopAll = async () => {
  await cleanupAll();
};
process.on('SIGINT', () => void stopAll().then(() => process.exit(130)));
process.on('SIGTERM', () => void stopAll().then(() => process.exit(143)));
try {
  await main();
} catch (error) {
  failed = true;
  console.error('bench failed:', error);
} finally {
  await stopAll();
}
process.exit(failed ? 1 : 0);
