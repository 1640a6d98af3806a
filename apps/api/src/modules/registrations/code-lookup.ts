import { parseCode } from '@reg/contracts/short-code';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';
import type { Clock } from '../../lib/clock.ts';
import { hmacSha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { AdminPrincipal } from '../../lib/principal.ts';
import { findCodeByHash } from './registrations.repository.ts';

interface Deps {
  clock: Clock;
  limits: AttemptLimits;
  codeHmacSecret: string;
  maxFailuresPerAdmin: number;
  maxFailuresPerCustomer: number;
}

/**
 * Finds the pending code an admin typed, counting failed look-ups (not found, expired)
 * against the admin and the customer: codes are 40 bits, so guessing must stay slow.
 */
export function createCodeLookup({ clock, limits, codeHmacSecret, maxFailuresPerAdmin, maxFailuresPerCustomer }: Deps) {
  return async function findPendingCode(admin: AdminPrincipal, input: string) {
    const code = parseCode(input);
    if (!code) {
      throw new AppError('invalid_request', 'A registration code has 8 letters and digits, like 7KQ4-MZ2P.', {
        details: [{ path: ['code'], message: 'must be 8 characters of the code alphabet' }],
      });
    }
    const adminKey = `code-lookup:admin:${admin.id}`;
    const customerKey = `code-lookup:customer:${admin.customerId}`;
    // Checked and counted in one step per admin and customer, so guesses sent all at once
    // can't outrun the count; look-ups that find a code (pending or used) count for nothing.
    return limits.guard(
      [
        { key: adminKey, max: maxFailuresPerAdmin },
        { key: customerKey, max: maxFailuresPerCustomer },
      ],
      'Too many codes that were not found or expired.',
      async (tx) => {
        const found = await findCodeByHash(tx, hmacSha256(codeHmacSecret, code));
        if (!found) throw new AppError('code_not_found');
        if (found.status !== 'pending') throw new AppError('code_already_used');
        if (found.expiresAt <= clock.now()) throw new AppError('expired_code');
        return found;
      },
      (error) => error instanceof AppError && (error.code === 'code_not_found' || error.code === 'expired_code'),
    );
  };
}

export type CodeLookup = ReturnType<typeof createCodeLookup>;
