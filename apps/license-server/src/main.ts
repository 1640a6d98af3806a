import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { check } from './commands/check.ts';
import { deregister } from './commands/deregister.ts';
import { importResponse, registerOffline, uploadOffline } from './commands/offline.ts';
import { register } from './commands/register.ts';
import { run } from './commands/run.ts';
import { status } from './commands/status.ts';
import { upload } from './commands/upload.ts';
import { consoleOutput, createContext, type Context, type Output } from './context.ts';
import { EXIT, type ExitCode } from './exit-codes.ts';
import { HELP } from './help.ts';
import { maskUrl } from './http.ts';

const FLAGS = {
  cloud: { type: 'string' },
  'state-dir': { type: 'string' },
  proxy: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  'server-name': { type: 'string' },
  hostname: { type: 'string' },
  os: { type: 'string' },
  'product-version': { type: 'string' },
  'no-usage-sharing': { type: 'boolean' },
  force: { type: 'boolean' },
  file: { type: 'string' },
  'sample-days': { type: 'string' },
  once: { type: 'boolean' },
  'interval-seconds': { type: 'string' },
  offline: { type: 'boolean' },
  out: { type: 'string' },
  import: { type: 'string' },
} as const;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a whole number of at least 1.`);
  return n;
}

class UsageError extends Error {}

/** --offline writes files: where to must be said. */
function requireOut(out: string | undefined, command: string): string {
  if (!out)
    throw new UsageError(
      `${command} --offline needs --out (${command === 'register' ? 'the request file' : 'a directory'}).`,
    );
  return out;
}

export async function main(argv: string[], io: Output, signal: AbortSignal): Promise<ExitCode> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    io.out(HELP);
    return command ? EXIT.ok : EXIT.usage;
  }
  let ctx: Context | undefined;
  try {
    const { values: flags } = parseArgs({ args: rest, options: FLAGS, strict: true, allowPositionals: false });
    if (flags.help) {
      io.out(HELP);
      return EXIT.ok;
    }
    if (flags.proxy) maskUrl(flags.proxy); // Validated early; never printed unmasked.
    ctx = createContext({ cloud: flags.cloud, stateDir: flags['state-dir'], proxy: flags.proxy }, io, signal);
    switch (command) {
      case 'register': {
        const options = {
          serverName: flags['server-name'],
          hostname: flags.hostname,
          os: flags.os,
          productVersion: flags['product-version'],
          usageSharing: !flags['no-usage-sharing'],
          force: Boolean(flags.force),
        };
        if (flags.import) return importResponse(ctx, flags.import);
        if (flags.offline) return registerOffline(ctx, { ...options, out: requireOut(flags.out, 'register') });
        return await register(ctx, options);
      }
      case 'status':
        return await status(ctx);
      case 'deregister':
        return await deregister(ctx);
      case 'upload': {
        const sampleDays = positiveInt(flags['sample-days'], '--sample-days');
        const options = { file: flags.file, sampleDays, productVersion: flags['product-version'] };
        if (flags.offline) return uploadOffline(ctx, { ...options, out: requireOut(flags.out, 'upload') });
        return await upload(ctx, options);
      }
      case 'run':
        return await run(ctx, {
          once: Boolean(flags.once),
          intervalSeconds: positiveInt(flags['interval-seconds'], '--interval-seconds') ?? 86_400,
          productVersion: flags['product-version'],
        });
      case 'check':
        return await check(ctx);
      default:
        throw new UsageError(`Unknown command "${command}".`);
    }
  } catch (error) {
    // parseArgs reports unknown or malformed flags with ERR_PARSE_ARGS_* codes.
    const code = (error as { code?: unknown }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.err(`${(error as Error).message} See --help.`);
      return EXIT.usage;
    }
    if (error instanceof RangeError) {
      io.err(error.message);
      return EXIT.usage;
    }
    io.err(`Unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.unexpected;
  } finally {
    // Idle keep-alive sockets (or a request abandoned after its time-out) would hold the
    // process open; every answer we wanted has been read by now.
    await ctx?.transport.dispatcher.destroy();
  }
}

// Run only as the entry point, so tests can import main() without side effects.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const controller = new AbortController();
  const stop = () => {
    // A second Ctrl+C means "now": the spool is consistent at every instant, so it is safe.
    if (controller.signal.aborted) process.exit(EXIT.interrupted);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const code = await main(process.argv.slice(2), consoleOutput, controller.signal);
  process.exitCode = code;
}
