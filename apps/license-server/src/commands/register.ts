import { hasErrorCode } from '@reg/contracts/error-codes';
import { formatCode } from '@reg/contracts/short-code';
import type { TRequestCodeResponse } from '@reg/contracts/product-api';
import { CloudError } from '../cloud-client.ts';
import { whileUnavailable } from '../backoff.ts';
import type { Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { refuseIfRegistered, registrationFields, type RegisterOptions } from './identity.ts';
import { cloudFailure, formatDuration, unreachable, withHint } from './cloud-messages.ts';
import { createProgress } from './progress.ts';
import { CliError, defineCommand } from '@reg/cli-kit/cli';
import { importResponse, registerOffline } from './offline.ts';
import { checkPendingApproval, REGISTRATION_KEY_ENV, registerWithKey, saveRegistered } from './register-key.ts';
import { resetIdentity } from './reset.ts';

const MAX_NETWORK_BACKOFF_S = 60;

async function register(ctx: Context, options: RegisterOptions): Promise<ExitCode> {
  const { io } = ctx;
  refuseIfRegistered(ctx, options.force, 'register --force');
  const fields = registrationFields(options, ctx.state);
  const { productVersion, serverName, hostname } = fields;

  let code: TRequestCodeResponse;
  try {
    code = await whileUnavailable(ctx, () => ctx.client.requestCode(fields));
  } catch (error) {
    throw registrationRefused(ctx, error, productVersion);
  }
  // Expiry is counted on this machine's clock from expiresIn, so clock skew can't shorten it.
  const deadline = Date.now() + code.expiresIn * 1000;
  io.out(`Registration code: ${formatCode(code.code)}`);
  io.out(`Ask an admin of your cloud account to register it at:`);
  io.out(`  ${code.verificationUriComplete}`);
  io.out(`The code expires in ${formatDuration(code.expiresIn)} (at ${new Date(deadline).toLocaleTimeString()}).`);

  const progress = createProgress(io, deadline);
  let interval = code.interval;
  let wait = interval;
  try {
    for (;;) {
      await progress.wait(wait * 1000, ctx.signal);
      if (ctx.signal.aborted) {
        throw new CliError(
          'interrupted.',
          EXIT.interrupted,
          'The code stays valid until it expires; run register again to get a new one.',
        );
      }
      let result;
      try {
        result = await ctx.client.poll(code.pollToken);
      } catch (error) {
        // A poll only reads, so a cloud out of reach or briefly unavailable (503) is waited out
        // for as long as the code lives.
        const network = error instanceof CloudError && error.kind === 'network';
        if (!network && !(error instanceof CloudError && hasErrorCode(error, 'unavailable'))) throw error;
        if (Date.now() > deadline) {
          const failure = network ? unreachable(ctx, error) : cloudFailure(ctx, error);
          throw withHint(failure, 'The code has expired meanwhile: run register again.');
        }
        wait = Math.min(Math.max(wait * 2, interval, error.retryAfter ?? 0), MAX_NETWORK_BACKOFF_S);
        const why = network ? 'Cloud not reachable' : 'Cloud briefly unavailable';
        progress.note(`${why} (${error.message}); trying again in ${wait} s.`);
        continue;
      }
      progress.tick();
      if (result.status === 'registered') {
        progress.done();
        saveRegistered(ctx, result, { serverName, hostname });
        return EXIT.ok;
      }
      // pending keeps the pace the cloud gives; slow_down raises it for the rest of this code.
      interval = result.interval;
      wait = interval;
    }
  } catch (error) {
    progress.done(); // The waiting line ends before the error is said.
    throw error instanceof CliError ? error : registrationRefused(ctx, error, productVersion);
  }
}

/** The cloud's refusals of a code request or of its registration, each with what to do next. */
function registrationRefused(ctx: Context, error: unknown, productVersion: string): CliError {
  if (!(error instanceof CloudError) || error.kind !== 'http') return cloudFailure(ctx, error);
  const again = 'Run register again.';
  switch (error.error) {
    case 'expired_code':
      return new CliError('the code expired before an admin registered it.', EXIT.codeExpired, again);
    case 'access_denied':
      return new CliError('an admin denied this registration.', EXIT.accessDenied);
    case 'code_consumed':
      return new CliError(
        'the code was already used.',
        EXIT.unexpected,
        'If this server did not get its credential, run register again.',
      );
    case 'unsupported_product_version': {
      const minimum = typeof error.body.minimumVersion === 'string' ? error.body.minimumVersion : 'a newer version';
      return new CliError(
        `the cloud does not register License Server ${productVersion}: it needs version ${minimum} or later.`,
        EXIT.refused,
        'Upgrade the License Server, then run register again.',
      );
    }
    case 'usage_sharing_required':
      return new CliError(
        'the cloud registers only servers that share usage data.',
        EXIT.refused,
        'Turn usage sharing on (run register without --no-usage-sharing).',
      );
    case 'unsupported_product':
      return new CliError(`the cloud refused the product: ${error.message}`, EXIT.refused);
    case 'rate_limited':
      return new CliError(
        'the cloud has had too many requests from this address.',
        EXIT.rateLimited,
        `Wait ${error.retryAfter ?? 60} seconds, then run register again.`,
      );
    default:
      return cloudFailure(ctx, error);
  }
}

export const registerCommand = defineCommand({
  name: 'register',
  summary: 'Get a registration code, wait until an admin registers it in the console.',
  options: {
    'server-name': {
      type: 'string',
      value: 'NAME',
      description: 'the name shown in the console (default: the name registered with before, else the host name)',
    },
    hostname: { type: 'string', value: 'HOST', description: "this machine's host name, as the console shows it" },
    os: { type: 'string', value: 'OS', description: 'the operating system, as the console shows it' },
    'product-version': { type: 'string', value: 'V', description: 'the License Server version registered' },
    'no-usage-sharing': { type: 'boolean', description: 'register with usage sharing off (the cloud refuses it)' },
    force: { type: 'boolean', description: 'register again even though registered' },
    reset: {
      type: 'boolean',
      description:
        'on a copy of a registered installation (exit 17): forget its identity (new instance id, credential dropped, unsent reports moved aside), then register as a server of its own; implies --force',
    },
    offline: {
      type: 'boolean',
      description: 'no route to the cloud: write a request file for the console, with --out',
    },
    out: { type: 'string', value: 'FILE', description: 'with --offline: where the request file goes' },
    import: { type: 'string', value: 'FILE', description: "take the console's response file; then registered" },
    key: {
      type: 'string',
      value: 'KEY',
      description: `register with a registration key, no code to type (or set ${REGISTRATION_KEY_ENV})`,
    },
  },
  examples: [
    'license-server register --server-name LS-Paris-01',
    'license-server register --offline --out /tmp/request.json',
    'license-server register --import /tmp/response.json',
    'license-server register --key lsreg_…',
    'license-server register --reset --key lsreg_…',
  ],
  run: (values, ctx: Context) => {
    const options = {
      serverName: values['server-name'],
      hostname: values.hostname,
      os: values.os,
      productVersion: values['product-version'],
      usageSharing: !values['no-usage-sharing'],
      force: Boolean(values.force || values.reset),
    };
    if (values.import) {
      if (values.reset)
        throw new CliError(
          'register --reset and --import do not go together.',
          EXIT.usage,
          'Run register --reset (with --offline for a new request file), then --import its response.',
        );
      return importResponse(ctx, values.import);
    }
    if (values.reset) resetIdentity(ctx);
    // Waiting for approval: poll it, never spend a second use of a key.
    if (ctx.state.pendingApproval && !options.force) return checkPendingApproval(ctx);
    const key = values.key ?? process.env[REGISTRATION_KEY_ENV];
    if (key && !values.offline) {
      refuseIfRegistered(ctx, options.force, 'register --key … --force');
      return registerWithKey(ctx, options, key);
    }
    if (!values.offline) return register(ctx, options);
    if (!values.out)
      throw new CliError('register --offline needs --out (the request file).', EXIT.usage, 'Add --out FILE.');
    return registerOffline(ctx, { ...options, out: values.out });
  },
});
