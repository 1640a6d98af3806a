import { CliError, printWarning } from '@reg/cli-kit/cli';
import { hasErrorCode } from '@reg/contracts/error-codes';
import { CloudError } from './cloud-client.ts';
import { sleep, type Context } from './context.ts';
import { EXIT } from './exit-codes.ts';

/**
 * How this tool waits before sending again, whatever it sends: the reporting loop between
 * delivery passes, and a registration the cloud answered 503 `unavailable`.
 */
const BACKOFF_FIRST_S = 5;
const BACKOFF_MAX_S = 15 * 60;
const UNAVAILABLE_SENDS = 5;

/** 5 s doubling to 15 min, ±20 % so that many servers coming back after an outage spread out; never before Retry-After. */
export function backoffSeconds(attempt: number, retryAfter?: number): number {
  const base = Math.min(BACKOFF_FIRST_S * 2 ** attempt, BACKOFF_MAX_S);
  const jittered = base * (0.8 + Math.random() * 0.4);
  return Math.max(jittered, retryAfter ?? 0);
}

/**
 * Sends again after the backoff while the cloud answers 503 `unavailable`, at most five sends in
 * all. The cloud answers that code only when nothing of the request was kept (its request
 * deadline cancels the work before any commit: docs/operations.md), so a second send can't do
 * the work twice. Every other answer and error goes to the caller as it came.
 */
export async function whileUnavailable<T>(ctx: Context, send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      const unavailable = error instanceof CloudError && error.kind === 'http' && hasErrorCode(error, 'unavailable');
      if (!unavailable || attempt + 1 >= UNAVAILABLE_SENDS) throw error;
      const wait = backoffSeconds(attempt, error.retryAfter);
      printWarning(
        ctx.io,
        `the cloud is briefly unavailable (${error.message}); trying again in ${Math.round(wait)} s.`,
      );
      await sleep(wait * 1000, ctx.signal);
      if (ctx.signal.aborted) throw new CliError('interrupted.', EXIT.interrupted);
    }
  }
}
