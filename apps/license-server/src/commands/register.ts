import os from 'node:os';
import { formatCode } from '@reg/contracts/short-code';
import type { TRequestCodeResponse } from '@reg/contracts/product-api';
import { CloudError } from '../cloud-client.ts';
import type { Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { isRegistered, type LocalState } from '../state.ts';
import { formatDuration, reportCloudError, unreachableMessage } from './cloud-messages.ts';
import { createProgress } from './progress.ts';

export const DEFAULT_PRODUCT_VERSION = '11.17.2.0';
const MAX_NETWORK_BACKOFF_S = 60;

export interface RegisterOptions {
  serverName?: string;
  hostname?: string;
  os?: string;
  productVersion?: string;
  usageSharing: boolean;
  force: boolean;
}

export function defaultOs(): string {
  // os.version() names the Windows edition ("Windows Server 2022 Datacenter"); elsewhere it is a build string.
  return os.type() === 'Windows_NT' ? os.version() : `${os.type()} ${os.release()}`;
}

/** Already registered and not forced: says so (the same words for code and file) and answers true. */
export function refusedAsRegistered(ctx: Context, force: boolean, forceCommand: string): boolean {
  const { state, io } = ctx;
  if (!isRegistered(state) || force) return false;
  io.err(
    `This server is already registered to ${state.customer.name} (registration ${state.registrationId}). ` +
      `Run deregister first, or ${forceCommand} to replace the registration.`,
  );
  return true;
}

/**
 * The names this server registers under: the flags, else the names it registered with before
 * (kept in the state directory, so registering again does not rename it), else this machine's host name.
 */
export function serverIdentity(
  options: Pick<RegisterOptions, 'hostname' | 'serverName'>,
  remembered: Pick<LocalState, 'hostname' | 'serverName'>,
) {
  const hostname = options.hostname ?? remembered.hostname ?? os.hostname();
  return { hostname, serverName: options.serverName ?? remembered.serverName ?? hostname.split('.')[0] ?? hostname };
}

export async function register(ctx: Context, options: RegisterOptions): Promise<ExitCode> {
  const { state, io } = ctx;
  if (refusedAsRegistered(ctx, options.force, 'register --force')) return EXIT.alreadyRegistered;
  const { hostname, serverName } = serverIdentity(options, state);
  const productVersion = options.productVersion ?? DEFAULT_PRODUCT_VERSION;

  let code: TRequestCodeResponse;
  try {
    code = await ctx.client.requestCode({
      product: 'license-server',
      productVersion,
      instanceId: state.instanceId,
      serverName,
      hostname,
      os: options.os ?? defaultOs(),
      usageSharing: options.usageSharing,
    });
  } catch (error) {
    return registrationRefused(ctx, error, productVersion);
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
        progress.done();
        io.err('Interrupted. The code stays valid until it expires; run register again to get a new one.');
        return EXIT.interrupted;
      }
      let result;
      try {
        result = await ctx.client.poll(code.pollToken);
      } catch (error) {
        if (!(error instanceof CloudError) || error.kind !== 'network') throw error;
        if (Date.now() > deadline) {
          progress.done();
          io.err(`${unreachableMessage(ctx, error)} The code has expired meanwhile; run register again.`);
          return EXIT.unreachable;
        }
        wait = Math.min(Math.max(wait * 2, interval), MAX_NETWORK_BACKOFF_S);
        progress.note(`Cloud not reachable (${error.message}); trying again in ${wait} s.`);
        continue;
      }
      progress.tick();
      if (result.status === 'registered') {
        progress.done();
        ctx.state = { ...ctx.store.load(), cloudUrl: ctx.cloudUrl, serverName, hostname };
        ctx.state.credential = result.credential;
        ctx.state.registrationId = result.registrationId;
        ctx.state.customer = result.customer;
        ctx.state.registeredAt = result.registeredAt;
        ctx.store.save(ctx.state);
        io.out(`Registered to ${result.customer.name}.`);
        io.out(`Registration ${result.registrationId}, registered at ${result.registeredAt}.`);
        return EXIT.ok;
      }
      // pending keeps the pace the cloud gives; slow_down raises it for the rest of this code.
      interval = result.interval;
      wait = interval;
    }
  } catch (error) {
    progress.done();
    return registrationRefused(ctx, error, productVersion);
  }
}

function registrationRefused(ctx: Context, error: unknown, productVersion: string): ExitCode {
  if (!(error instanceof CloudError) || error.kind !== 'http') return reportCloudError(ctx, error);
  const { io } = ctx;
  switch (error.error) {
    case 'expired_code':
      io.err('The code expired before an admin registered it. Run register again.');
      return EXIT.codeExpired;
    case 'access_denied':
      io.err('An admin denied this registration.');
      return EXIT.accessDenied;
    case 'code_consumed':
      io.err('The code was already used. If this server did not get its credential, run register again.');
      return EXIT.unexpected;
    case 'unsupported_product_version': {
      const minimum = typeof error.body.minimumVersion === 'string' ? error.body.minimumVersion : 'a newer version';
      io.err(
        `The cloud does not register License Server ${productVersion}: it needs version ${minimum} or later. ` +
          'Upgrade the License Server, then run register again.',
      );
      return EXIT.refused;
    }
    case 'usage_sharing_required':
      io.err(
        'The cloud registers only servers that share usage data. Turn usage sharing on ' +
          '(run register without --no-usage-sharing), then run register again.',
      );
      return EXIT.refused;
    case 'unsupported_product':
      io.err(`The cloud refused the product: ${error.message}`);
      return EXIT.refused;
    case 'rate_limited':
      io.err(
        `The cloud has had too many requests from this address. Wait ${error.retryAfter ?? 60} seconds, then run register again.`,
      );
      return EXIT.rateLimited;
    default:
      return reportCloudError(ctx, error);
  }
}
