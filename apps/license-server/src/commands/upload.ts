import type { Context } from '../context.ts';
import { deliverSpool, formatProgress } from '../delivery.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { isRegistered } from '../state.ts';
import { cloudFailure, withHint } from './cloud-messages.ts';
import { readNewReports, type UploadOptions } from './new-reports.ts';
import { CliError, defineCommand, parseDuration, positiveInt, printError } from '@reg/cli-kit/cli';
import { uploadOffline } from './offline.ts';
import { parseInterval } from '../sample-usage.ts';

async function upload(ctx: Context, options: UploadOptions): Promise<ExitCode> {
  const { state, io } = ctx;
  const fresh = readNewReports(ctx, options);
  if (!isRegistered(state)) {
    throw new CliError(
      'this server is not registered, so it cannot upload usage.',
      EXIT.notRegistered,
      'Run register first.',
    );
  }
  // Spooled before the first attempt: from here on, nothing is lost, whatever happens.
  for (const report of fresh) ctx.spool.add(report);
  const waiting = ctx.spool.list().length;
  if (waiting === 0) {
    io.out('Nothing to upload: the spool is empty. Use --file or --sample-days.');
    return EXIT.ok;
  }
  io.out(`Uploading ${waiting} report(s) to ${ctx.cloudUrl}…`);

  const result = await deliverSpool(ctx, state.credential, (done, total, records) =>
    io.out(formatProgress(done, total, records)),
  );
  for (const rejected of result.rejected) {
    printError(io, {
      message: `the cloud rejected report ${rejected.reportId} (${rejected.reason}); it was moved to ${rejected.path}.`,
    });
  }
  if (result.stoppedBy) {
    throw withHint(
      cloudFailure(ctx, result.stoppedBy),
      `${result.remaining} report(s) are kept in the spool (${ctx.spool.dir}); run upload or run to send them later.`,
    );
  }
  if (ctx.signal.aborted) return EXIT.interrupted;
  io.out(`Done: ${result.delivered} report(s), ${result.records.toLocaleString('en-US')} records delivered.`);
  return result.rejected.length > 0 ? EXIT.notDelivered : EXIT.ok;
}

export const uploadCommand = defineCommand({
  name: 'upload',
  summary: 'Send usage reports (kept in the spool until the cloud has them).',
  details: ['With no option, sends what waits in the spool.'],
  options: {
    file: {
      type: 'string',
      value: 'FILE',
      description:
        'a usage report: {"records": [...]} or a bare array of records (schema: docs/protocol.md); reportId, collectedAt and server may be left out',
    },
    'sample-days': { type: 'string', value: 'N', description: 'generated usage for the last N days (1-399)' },
    interval: {
      type: 'string',
      value: 'DURATION',
      description: 'with --sample-days: a snapshot every 15m, 1h, … (dividing a day), not one a day',
    },
    'product-version': { type: 'string', value: 'V', description: 'the version the reports name' },
    offline: {
      type: 'boolean',
      description: 'write usage files for the console (License Servers > Upload usage files), with --out',
    },
    out: { type: 'string', value: 'DIR', description: 'with --offline: the directory for the usage files' },
  },
  examples: [
    'license-server upload --file /tmp/usage.json',
    'license-server upload --sample-days 30 --interval 1h',
    'license-server upload --offline --out /tmp/usage-files',
  ],
  run: (values, ctx: Context) => {
    const interval = parseDuration(values.interval, '--interval');
    const options = {
      file: values.file,
      sampleDays: positiveInt(values['sample-days'], '--sample-days'),
      productVersion: values['product-version'],
      ...(interval !== undefined && { intervalMinutes: sampleInterval(interval) }),
    };
    if (!values.offline) return upload(ctx, options);
    if (!values.out) throw new CliError('upload --offline needs --out (a directory).', EXIT.usage, 'Add --out DIR.');
    return uploadOffline(ctx, { ...options, out: values.out });
  },
});

/** Generated snapshots fall on whole minutes that divide a day. */
function sampleInterval(seconds: number): number {
  try {
    if (seconds % 60) throw new RangeError('the interval must be whole minutes');
    return parseInterval(`${seconds / 60}`);
  } catch (error) {
    throw new CliError(`--interval: ${(error as Error).message}.`, EXIT.usage);
  }
}
