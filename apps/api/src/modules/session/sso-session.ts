import type { Config } from '../../config.ts';
import type { Clock } from '../../lib/clock.ts';
import { randomSecret, sha256 } from '../../lib/crypto.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { insertSession } from './session.repository.ts';

interface Deps {
  clock: Clock;
  audit: AuditService;
  config: Pick<Config, 'SESSION_MAX_HOURS'>;
}

/**
 * A session made by a single sign-on: it lasts as any session (idle limit, maximum age,
 * sign-out, the admin removed); the IdP is not asked again while it lives.
 */
export function createSsoSessionStarter({ clock, audit, config }: Deps) {
  return async function startSsoSession(
    tx: Tx,
    customerId: string,
    admin: { id: string; email: string },
    context: { sourceAddress: string; userAgent: string | null; issuer: string },
  ): Promise<{ token: string }> {
    const now = clock.now();
    const token = randomSecret();
    await insertSession(tx, {
      tokenHash: sha256(token),
      adminId: admin.id,
      csrfToken: randomSecret(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + config.SESSION_MAX_HOURS * 3600_000),
    });
    await audit.record(tx, {
      customerId,
      actor: { type: 'admin', id: admin.id, label: admin.email },
      action: 'session.signed_in',
      target: { type: 'admin', id: admin.id, label: admin.email },
      details: { sourceAddress: context.sourceAddress, method: 'sso', issuer: context.issuer },
    });
    return { token };
  };
}
