import { CliError } from '@reg/cli-kit/cli';
import { hasErrorCode } from '@reg/contracts/error-codes';
import { CloudError } from '../cloud-client.ts';
import type { Context } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

/**
 * The failures shared by the commands, in the CLI's one error format (`error:` what happened,
 * `hint:` what to do), so "unreachable" or "removed" reads the same whichever command met it.
 */
export function unreachable(ctx: Context, error: CloudError): CliError {
  return new CliError(
    `could not reach the cloud at ${ctx.cloudUrl}: ${error.message}.`,
    EXIT.unreachable,
    'Run "check" to see what is blocked.',
  );
}

/** 409 duplicate_instance: the cloud keeps this registration on another machine, and this one is the later. */
export function isDuplicateInstance(error: unknown): boolean {
  return error instanceof CloudError && error.kind === 'http' && hasErrorCode(error, 'duplicate_instance');
}

/**
 * This installation is a copy (a cloned image or container) of one registered and alive on another
 * machine. The state is left as it is: the fix is the admin's choice, and on the original machine
 * the same files are right.
 */
export function duplicateInstance(): CliError {
  return new CliError(
    'another machine uses this registration.',
    EXIT.duplicateInstance,
    'If this machine is a copy (a cloned image or container), run "license-server register --reset" on it to ' +
      'register it as a server of its own (with --key KEY to use a registration key).',
  );
}

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
export function credentialRejected(ctx: Context, error: CloudError): CliError {
  if (hasErrorCode(error, 'registration_removed')) {
    ctx.state = ctx.store.forgetRegistration();
    return new CliError(
      "this server's registration was removed in the cloud.",
      EXIT.registrationRemoved,
      'Run register to register it again.',
    );
  }
  return new CliError(
    `the cloud at ${ctx.cloudUrl} does not accept this server's credential (${error.error}).`,
    EXIT.registrationRemoved,
    'If that is the right cloud, run register --force to register again.',
  );
}

/** For errors no command handles specially; anything that is not the cloud's answer is rethrown. */
export function cloudFailure(ctx: Context, error: unknown): CliError {
  if (!(error instanceof CloudError)) throw error;
  if (error.kind === 'network') return unreachable(ctx, error);
  if (isCredentialRejected(error)) return credentialRejected(ctx, error);
  if (isDuplicateInstance(error)) return duplicateInstance();
  if (hasErrorCode(error, 'rate_limited')) {
    return new CliError(
      'the cloud is busy with requests from this address.',
      EXIT.rateLimited,
      `Wait ${error.retryAfter ?? 60} seconds and try again.`,
    );
  }
  return new CliError(
    `the cloud refused the request (${error.status ?? '?'} ${error.error}): ${error.message}`,
    EXIT.unexpected,
  );
}

/** The same failure with more said after its hint (what became of the reports, say). */
export function withHint(failure: CliError, more: string): CliError {
  return new CliError(failure.message, failure.exitCode, failure.hint ? `${failure.hint} ${more}` : more);
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const minutes = Math.floor(s / 60);
  return `${minutes}:${String(s % 60).padStart(2, '0')}`;
}
