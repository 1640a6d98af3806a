import { backoffSeconds } from '../backoff.ts';
import { sleep, type Context } from '../context.ts';
import { deliverSpool, type DeliveryResult } from '../delivery.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { buildReports, generateSampleRecords } from '../sample-usage.ts';
import { isRegistered, type Registered } from '../state.ts';
import {
  credentialRejected,
  duplicateInstance,
  isCredentialRejected,
  isDuplicateInstance,
  unreachable,
  withHint,
} from './cloud-messages.ts';
import { CloudError } from '../cloud-client.ts';
import { DEFAULT_PRODUCT_VERSION } from './identity.ts';
import { CliError, defineCommand, parseDuration, printError, printWarning } from '@reg/cli-kit/cli';
import { waitForApproval } from './register-key.ts';

interface RunOptions {
  once: boolean;
  /** Between daily uploads; shorter for demos and tests. */
  intervalSeconds: number;
  productVersion?: string;
}

const HEARTBEAT_EVERY_S = 3600;

const stamp = () => new Date().toISOString();

/** A failure the loop lives through: a warning while it keeps going, an error when it is the last word (--once). */
function sayFailure(ctx: Context, once: boolean, failure: { message: string; hint?: string | undefined }): void {
  if (once) printError(ctx.io, failure);
  else printWarning(ctx.io, failure.message);
}

/** Why a delivery pass stopped, without the hint: the loop says it again at every retry. */
function stoppedBecause(ctx: Context, error: CloudError): string {
  return error.kind === 'network'
    ? unreachable(ctx, error).message
    : `the cloud answered ${error.status} ${error.error}: ${error.message}`;
}

/**
 * The License Server's reporting loop: flush the spool, then heartbeat regularly and
 * upload the last day's usage once per interval. A report is spooled before it is
 * sent and resent with the same reportId until the cloud has it; the loop ends when
 * the registration is removed or on SIGINT/SIGTERM.
 */
async function run(ctx: Context, options: RunOptions): Promise<ExitCode> {
  const { io } = ctx;
  if (!isRegistered(ctx.state) && ctx.state.pendingApproval) {
    const approval = await waitForApproval(ctx);
    if (approval !== EXIT.ok) return approval;
  }
  if (!isRegistered(ctx.state))
    throw new CliError('this server is not registered.', EXIT.notRegistered, 'Run register first.');
  const state: Registered = ctx.state;
  const productVersion = options.productVersion ?? DEFAULT_PRODUCT_VERSION;
  io.out(`${stamp()} Reporting to ${ctx.cloudUrl} for ${state.customer.name}${options.once ? ' (once)' : ''}.`);

  let outcome = await deliverWithRetry(ctx, state.credential, options.once);
  if (outcome !== EXIT.ok && options.once) return outcome;

  let nextUpload = Date.now();
  while (!ctx.signal.aborted) {
    try {
      const registration = await ctx.client.getRegistration(state.credential);
      io.out(`${stamp()} Heartbeat: registered to ${registration.customer.name}.`);
    } catch (error) {
      if (!(error instanceof CloudError)) throw error;
      if (isCredentialRejected(error)) throw credentialRejected(ctx, error);
      // A copy never gets through by retrying: the loop ends with the fix.
      if (isDuplicateInstance(error)) throw duplicateInstance();
      const failure = error.kind === 'network' ? unreachable(ctx, error) : { message: error.message };
      sayFailure(ctx, options.once, { ...failure, message: `heartbeat failed at ${stamp()}: ${failure.message}` });
      if (options.once) outcome = EXIT.unreachable;
    }
    if (Date.now() >= nextUpload) {
      const records = generateSampleRecords({ days: 1, seed: state.instanceId });
      for (const report of buildReports(records, { productVersion })) ctx.spool.add(report);
      io.out(`${stamp()} Collected usage for ${records[0]?.periodStart.slice(0, 10)} (${records.length} records).`);
      const delivered = await deliverWithRetry(ctx, state.credential, options.once);
      if (delivered !== EXIT.ok) outcome = delivered;
      // From now, not from the planned time: after a long outage, one upload, not a burst of catch-ups.
      nextUpload = Date.now() + options.intervalSeconds * 1000;
    }
    if (options.once) return outcome;
    await sleep(Math.max(0, Math.min(HEARTBEAT_EVERY_S * 1000, nextUpload - Date.now())), ctx.signal);
  }
  io.out(`${stamp()} Stopped. ${ctx.spool.list().length} report(s) wait in the spool for the next start.`);
  return EXIT.ok;
}

/**
 * Delivers the whole spool, backing off between failed passes (one pass with `once`, which throws
 * when the pass stopped early); a rejected credential ends the loop whatever the mode.
 */
async function deliverWithRetry(ctx: Context, credential: string, once: boolean): Promise<ExitCode> {
  const { io } = ctx;
  for (let attempt = 0; !ctx.signal.aborted; attempt++) {
    const result: DeliveryResult = await deliverSpool(ctx, credential);
    if (result.delivered > 0) {
      io.out(`${stamp()} Uploaded ${result.delivered} report(s) (${result.records.toLocaleString('en-US')} records).`);
    }
    for (const rejected of result.rejected) {
      printError(io, {
        message: `the cloud rejected report ${rejected.reportId} at ${stamp()} (${rejected.reason}); it was moved to ${rejected.path}.`,
      });
    }
    const error = result.stoppedBy;
    if (!error) return result.rejected.length > 0 ? EXIT.notDelivered : EXIT.ok;
    if (isCredentialRejected(error)) throw credentialRejected(ctx, error);
    if (isDuplicateInstance(error))
      throw withHint(duplicateInstance(), `${result.remaining} report(s) are kept in the spool.`);
    const failed = `upload failed at ${stamp()}: ${stoppedBecause(ctx, error)}`;
    if (once) {
      const code = error.kind === 'network' ? EXIT.unreachable : EXIT.notDelivered;
      const hint = error.kind === 'network' ? unreachable(ctx, error).hint : undefined;
      throw withHint(
        new CliError(failed, code, hint),
        `${result.remaining} report(s) are kept in the spool for the next upload or run.`,
      );
    }
    const wait = backoffSeconds(attempt, error.retryAfter);
    printWarning(io, `${failed} Retrying ${result.remaining} report(s) in ${Math.round(wait)} s.`);
    await sleep(wait * 1000, ctx.signal);
  }
  return EXIT.ok;
}

export const runCommand = defineCommand({
  name: 'run',
  summary: 'Keep reporting: send the spool, heartbeat hourly, upload usage every interval.',
  details: ['Retries with backoff; stops on SIGINT/SIGTERM (a second Ctrl+C stops at once).'],
  options: {
    once: { type: 'boolean', description: 'one pass, then exit' },
    interval: { type: 'string', value: 'DURATION', description: 'time between uploads: 30s, 15m, 1h, 1d (default 1d)' },
    'product-version': { type: 'string', value: 'V', description: 'the version the reports name' },
    'interval-seconds': {
      type: 'string',
      description: '',
      deprecated: { instead: 'interval', convert: (seconds) => `${seconds}s` },
    },
  },
  examples: ['license-server run', 'license-server run --interval 15m', 'license-server run --once'],
  run: (values, ctx: Context) =>
    run(ctx, {
      once: Boolean(values.once),
      intervalSeconds: parseDuration(values.interval, '--interval') ?? 86_400,
      productVersion: values['product-version'],
    }),
});
