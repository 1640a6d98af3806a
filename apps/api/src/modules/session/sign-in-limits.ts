import type { Config } from '../../config.ts';
import { addressKey, networkKey } from '../../lib/address.ts';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';

export type SignInLimitConfig = Pick<
  Config,
  | 'LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS'
  | 'LIMIT_SIGNIN_FAILURES_PER_EMAIL'
  | 'LIMIT_SIGNIN_FAILURES_PER_ADDRESS'
  | 'LIMIT_SIGNIN_FAILURES_PER_NETWORK'
  | 'LIMIT_SIGNIN_FAILURES_PER_MINUTE'
>;

/**
 * The sign-in limits, shared by every step that checks a secret of the person: the password at
 * sign-in, the second step's code, and a password confirming a change (403 password_incorrect).
 * Counted as a failure up front (so guesses sent at once can't outrun the count), uncounted on
 * success: per email and address, per email, per address (an IPv6 /64), per IPv6 /48 (one
 * holder has 65,536 /64s of it), and all failures together per minute.
 */
export function createSignInLimits(limits: AttemptLimits, config: SignInLimitConfig) {
  return function begin(email: string, sourceAddress: string) {
    const address = addressKey(sourceAddress);
    const network = networkKey(sourceAddress);
    return limits.begin(
      [
        { key: `signin:email-address:${email}|${address}`, max: config.LIMIT_SIGNIN_FAILURES_PER_EMAIL_ADDRESS },
        { key: `signin:email:${email}`, max: config.LIMIT_SIGNIN_FAILURES_PER_EMAIL },
        { key: `signin:address:${address}`, max: config.LIMIT_SIGNIN_FAILURES_PER_ADDRESS },
        ...(network ? [{ key: `signin:network:${network}`, max: config.LIMIT_SIGNIN_FAILURES_PER_NETWORK }] : []),
        { key: 'signin:all', max: config.LIMIT_SIGNIN_FAILURES_PER_MINUTE, windowMs: 60_000 },
      ],
      'Too many failed sign-ins.',
    );
  };
}
