import { parseCode } from '@reg/contracts/short-code';
import type { Db } from '@reg/db/client';
import type { AttemptLimits } from '../../lib/attempt-limits.ts';
import type { Clock } from '../../lib/clock.ts';
import { hmacSha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { AdminContext } from '../session/session.service.ts';

interface Deps {
  db: Db;
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
export function createCodeLookup({ db, clock, limits, codeHmacSecret, maxFailuresPerAdmin, maxFailuresPerCustomer }: Deps) {
  return async function findPendingCode(admin: AdminContext, input: string) {
    const code = parseCode(input);
    if (!code) {
      throw new AppError('invalid_request', 'A registration code has 8 letters and digits, like 7KQ4-MZ2P.', {
        details: [{ path: ['code'], message: 'must be 8 characters of the code alphabet' }],
      });
    }
    const adminKey = `code-lookup:admin:${admin.adminId}`;
    const customerKey = `code-lookup:customer:${admin.customerId}`;
    // Counted as a failure up front (so guesses sent at once can't outrun the count),
    // and uncounted when the code turns out to be pending or already used.
    const attempt = await limits.begin(
      [
        { key: adminKey, max: maxFailuresPerAdmin },
        { key: customerKey, max: maxFailuresPerCustomer },
      ],
      'Too many codes that were not found or expired.',
    );
    let failed = false;
    try {
      const found = await db.registrationCode.findUnique({ where: { codeHash: hmacSha256(codeHmacSecret, code) } });
      if (!found) {
        failed = true;
        throw new AppError('code_not_found', 'No registration is waiting for this code; check it on the License Server.');
      }
      if (found.status !== 'pending') {
        throw new AppError('code_already_used', 'This code was already used; get a new code on the License Server.');
      }
      if (found.expiresAt <= clock.now()) {
        failed = true;
        throw new AppError('expired_code', 'This code has expired; get a new code on the License Server.');
      }
      return found;
    } finally {
      if (!failed) await attempt.succeeded();
    }
  };
}

export type CodeLookup = ReturnType<typeof createCodeLookup>;
