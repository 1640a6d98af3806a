import type { Db } from '@reg/db/client';
import { findSsoSettings } from './sso.repository.ts';

/**
 * Whether a membership may use a password in its customer: the one rule of enforced single
 * sign-on. Every way in with a password asks it when a session enters a customer: `POST
 * /session`, accepting an invitation, and switching customers (`PUT /session/customer`).
 */
export function createSsoPolicy({ db }: { db: Db }) {
  /**
   * `allowed` false: the customer enforces single sign-on and the membership is not break-glass
   * (403 sso_required). `breakGlass` true: allowed only because it is break-glass (the sign-in's
   * audit entry says so).
   */
  async function mayUsePassword(membership: {
    customerId: string;
    breakGlass: boolean;
  }): Promise<{ allowed: boolean; breakGlass: boolean }> {
    const settings = await findSsoSettings(db, membership.customerId);
    if (!settings?.enforced) return { allowed: true, breakGlass: false };
    return { allowed: membership.breakGlass, breakGlass: membership.breakGlass };
  }

  return { mayUsePassword };
}

export type SsoPolicy = ReturnType<typeof createSsoPolicy>;
