import { hasErrorCode } from '@reg/contracts/error-codes';
import { CloudError } from '../cloud-client.ts';
import type { Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';

/**
 * The messages and exit codes shared by the commands, so "unreachable" or "removed"
 * reads the same whichever command met it.
 */
export function unreachableMessage(ctx: Context, error: CloudError): string {
  return `Could not reach the cloud at ${ctx.cloudUrl}: ${error.message}. Run "check" to see what is blocked.`;
}

const REMOVED_MESSAGE = "This server's registration was removed in the cloud. Run register to register it again.";

/** Any 401 on a credentialed call: the cloud no longer accepts this server's credential. */
export function isCredentialRejected(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'http' && error.status === 401;
}

/**
 * 401 registration_removed: the cloud stopped collecting for good, so the credential
 * is forgotten (unsent reports stay in the spool for a later registration).
 * 401 invalid_credential: the cloud does not know the credential at all, which is as
 * likely a wrong --cloud as a lost registration, so it is kept and the admin is told.
 */
export function handleRejectedCredential(ctx: Context, error: CloudError): ExitCode {
  if (hasErrorCode(error, 'registration_removed')) {
    ctx.state = ctx.store.forgetRegistration();
    ctx.io.err(REMOVED_MESSAGE);
  } else {
    ctx.io.err(
      `The cloud at ${ctx.cloudUrl} does not accept this server's credential (${error.error}). ` +
        'If that is the right cloud, run register --force to register again.',
    );
  }
  return EXIT.registrationRemoved;
}

/** For errors no command handles specially. */
export function reportCloudError(ctx: Context, error: unknown): ExitCode {
  if (!(error instanceof CloudError)) throw error;
  if (error.kind === 'network') {
    ctx.io.err(unreachableMessage(ctx, error));
    return EXIT.unreachable;
  }
  if (isCredentialRejected(error)) return handleRejectedCredential(ctx, error);
  if (hasErrorCode(error, 'rate_limited')) {
    ctx.io.err(
      `The cloud is busy with requests from this address. Wait ${error.retryAfter ?? 60} seconds and try again.`,
    );
    return EXIT.rateLimited;
  }
  ctx.io.err(`The cloud refused the request (${error.status ?? '?'} ${error.error}): ${error.message}`);
  return EXIT.unexpected;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(s / 60);
  return `${minutes}:${String(s % 60).padStart(2, '0')}`;
}
