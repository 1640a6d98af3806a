import { CliError, runProgram, type Program } from '@reg/cli-kit/cli';
import { pathToFileURL } from 'node:url';
import { checkCommand } from './commands/check.ts';
import { deregisterCommand } from './commands/deregister.ts';
import { registerCommand } from './commands/register.ts';
import { runCommand } from './commands/run.ts';
import { statusCommand } from './commands/status.ts';
import { uploadCommand } from './commands/upload.ts';
import { consoleOutput, createContext, type Context, type Output } from './context.ts';
import { EXIT, EXIT_CODES_USED, type ExitCode } from './exit-codes.ts';
import { maskUrl } from './http.ts';

/** The License Server CLI: its commands, each in its own file under commands/. */
export function licenseServerProgram(io: Output, signal: AbortSignal): Program<Context> {
  return {
    name: 'license-server',
    summary: 'License Server: registers this server with the cloud and reports its usage.',
    commands: [registerCommand, statusCommand, deregisterCommand, uploadCommand, runCommand, checkCommand],
    common: {
      cloud: {
        type: 'string',
        value: 'URL',
        description:
          'the cloud (default: the one registered with, else $LICENSE_SERVER_CLOUD_URL, else http://localhost:8080)',
      },
      'state-dir': {
        type: 'string',
        value: 'DIR',
        description:
          'where the credential and the spool live (default: $LICENSE_SERVER_STATE_DIR, else .data/license-server)',
      },
      proxy: {
        type: 'string',
        value: 'URL',
        description: 'use this proxy (default: HTTPS_PROXY / HTTP_PROXY, minus NO_PROXY)',
      },
    },
    exitCodes: EXIT_CODES_USED,
    context: (common) => {
      const proxy = common.proxy as string | undefined;
      if (proxy) maskUrl(proxy); // Validated early; never printed unmasked.
      return createContext(
        { cloud: common.cloud as string | undefined, stateDir: common['state-dir'] as string | undefined, proxy },
        io,
        signal,
      );
    },
    // Idle keep-alive sockets (or a request abandoned after its time-out) would hold the
    // process open; every answer we wanted has been read by now.
    dispose: (ctx) => ctx.transport.dispatcher.destroy(),
    // A malformed proxy URL or interval is the command line's fault.
    explain: (error) =>
      error instanceof RangeError ? new CliError(error.message, EXIT.usage, 'See license-server --help.') : undefined,
  };
}

export function main(argv: string[], io: Output, signal: AbortSignal): Promise<ExitCode> {
  return runProgram(licenseServerProgram(io, signal), argv, io);
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
  process.exitCode = await main(process.argv.slice(2), consoleOutput, controller.signal);
}
