import { CliError } from '@reg/cli-kit/cli';
import type { TPollRegistered } from '@reg/contracts/product-api';
import { whileUnavailable } from '../backoff.ts';
import { CloudError } from '../cloud-client.ts';
import { sleep, type Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { cloudFailure } from './cloud-messages.ts';
import { registrationFields, type RegisterOptions } from './identity.ts';

/** The environment variable a script or an image sets instead of `--key` (the flag wins). */
export const REGISTRATION_KEY_ENV = 'LICENSE_SERVER_REGISTRATION_KEY';

/** What an answer that delivered the credential leaves in the state directory, by code or by key. */
export function saveRegistered(
  ctx: Context,
  result: TPollRegistered,
  names: { serverName?: string; hostname?: string },
) {
  const { pendingApproval: _dropped, ...kept } = ctx.store.load();
  ctx.state = {
    ...kept,
    cloudUrl: ctx.cloudUrl,
    ...names,
    credential: result.credential,
    registrationId: result.registrationId,
    customer: result.customer,
    registeredAt: result.registeredAt,
  };
  ctx.store.save(ctx.state);
  ctx.io.out(`Registered to ${result.customer.name}.`);
  ctx.io.out(`Registration ${result.registrationId}, registered at ${result.registeredAt}.`);
}

function sayWaiting(ctx: Context) {
  const pending = ctx.state.pendingApproval;
  if (!pending) return;
  ctx.io.out(`Registration ${pending.registrationId} waits for an admin of ${pending.customer.name} to approve it at:`);
  ctx.io.out(`  ${pending.verificationUri}`);
  ctx.io.out('Run register or status again to check, or run to wait and start reporting once approved.');
}

/** The key's refusal and the cloud's other answers, in this tool's one error format and exit codes. */
function keyRefused(ctx: Context, error: unknown): never {
  if (!(error instanceof CloudError) || error.kind !== 'http') throw cloudFailure(ctx, error);
  switch (error.error) {
    case 'invalid_registration_key':
      throw new CliError(
        'the registration key was refused (unknown, expired, used up or revoked).',
        EXIT.registrationKeyRefused,
        'Ask an admin for a current key (IAM > API Access > Registration keys), or register without --key to use a code.',
      );
    case 'access_denied':
      throw new CliError('an admin denied this registration.', EXIT.accessDenied);
    case 'rate_limited':
      throw new CliError(
        'the cloud refused too many registration keys from this address.',
        EXIT.rateLimited,
        `Wait ${error.retryAfter ?? 60} seconds, then run register again.`,
      );
    case 'usage_sharing_required':
    case 'unsupported_product':
    case 'unsupported_product_version':
      throw new CliError(`the cloud refused to register this server: ${error.message}`, EXIT.refused);
    default:
      throw cloudFailure(ctx, error);
  }
}

/**
 * Registers by key: the key goes to the cloud once and is kept nowhere (not in the state, not
 * in the spool, never printed). Approved at once: exit 0; waiting for an admin: the poll token
 * is kept and the exit is 16.
 */
export async function registerWithKey(ctx: Context, options: RegisterOptions, key: string): Promise<ExitCode> {
  const fields = registrationFields(options, ctx.state);
  const { serverName, hostname } = fields;
  try {
    const result = await whileUnavailable(ctx, () => ctx.client.registerByKey({ ...fields, registrationKey: key }));
    if (result.status === 'registered') {
      saveRegistered(ctx, result, { serverName, hostname });
      return EXIT.ok;
    }
    const { pollToken, registrationId, customer, verificationUri } = result;
    ctx.state = { ...ctx.store.load(), cloudUrl: ctx.cloudUrl, serverName, hostname };
    ctx.state.pendingApproval = { pollToken, registrationId, customer, verificationUri };
    ctx.store.save(ctx.state);
    sayWaiting(ctx);
    return EXIT.pendingApproval;
  } catch (error) {
    return keyRefused(ctx, error);
  }
}

/**
 * A registration waiting for approval is polled, never requested again (no second use of the
 * key): approved, the credential is saved (ok); still waiting, `pending` with the interval;
 * denied, the pending state is dropped (exit 8).
 */
async function pollPendingApproval(ctx: Context): Promise<ExitCode | { pending: number }> {
  const pending = ctx.state.pendingApproval;
  if (!pending) return EXIT.ok;
  try {
    const result = await ctx.client.poll(pending.pollToken);
    if (result.status === 'registered') {
      saveRegistered(ctx, result, {});
      return EXIT.ok;
    }
    return { pending: result.interval };
  } catch (error) {
    if (
      error instanceof CloudError &&
      error.kind === 'http' &&
      ['access_denied', 'invalid_poll_token'].includes(error.error)
    ) {
      const { pendingApproval: _dropped, ...kept } = ctx.store.load();
      ctx.state = kept;
      ctx.store.save(kept);
      if (error.error === 'access_denied') throw new CliError('an admin denied this registration.', EXIT.accessDenied);
      throw new CliError(
        'the registration request is no longer known to the cloud.',
        EXIT.accessDenied,
        'Run register again.',
      );
    }
    return keyRefused(ctx, error);
  }
}

/** register and status: poll once; still waiting is exit 16. */
export async function checkPendingApproval(ctx: Context): Promise<ExitCode> {
  const outcome = await pollPendingApproval(ctx);
  if (typeof outcome === 'number') return outcome;
  sayWaiting(ctx);
  return EXIT.pendingApproval;
}

/** run: poll at the cloud's interval until an admin decides (or the run is interrupted). */
export async function waitForApproval(ctx: Context): Promise<ExitCode> {
  let announced = false;
  for (;;) {
    const outcome = await pollPendingApproval(ctx);
    if (typeof outcome === 'number') return outcome;
    if (!announced) sayWaiting(ctx);
    announced = true;
    await sleep(outcome.pending * 1000, ctx.signal);
    if (ctx.signal.aborted) return EXIT.interrupted;
  }
}
