import type { TCustomerSettings, TCustomerSettingsUpdate } from '@reg/contracts/settings-api';
import type { Db } from '@reg/db/client';
import { AppError } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { StaleRegistrationService } from '../stale-registrations/stale-registrations.service.ts';
import { findSettings, lockSettings, saveSettings } from './settings.repository.ts';

/** Customer settings (docs/protocol.md, "Customer settings"): the stale-removal policy and required two-step verification. */
interface Deps {
  db: Db;
  audit: AuditService;
  staleRegistrations: Pick<StaleRegistrationService, 'cancelAnnounced'>;
  /** Whether a person has two-step verification on (the TOTP service's answer). */
  mfaEnabled: (personId: string) => Promise<boolean>;
}

export function createSettingsService({ db, audit, staleRegistrations, mfaEnabled }: Deps) {
  function get(principal: Principal): Promise<TCustomerSettings> {
    return findSettings(db, principal.customerId);
  }

  /**
   * Saves the settings given (one left out keeps its value); a change is audited with the old and
   * the new values. Any change to the removal policy drops the removals already announced: turned
   * off, nothing is removed; with another number of days, the sweep announces the new times.
   * Requiring two-step verification needs the caller to have it, so no one locks themselves out.
   */
  async function update(principal: Principal, input: TCustomerSettingsUpdate): Promise<TCustomerSettings> {
    // Also enforced wherever roles are checked for every change; settings are the full admins' own.
    if (principal.role !== 'full') throw new AppError('access_denied', 'Only full admins can change the settings.');
    return db.$transaction(async (tx) => {
      const old = await lockSettings(tx, principal.customerId);
      const next: TCustomerSettings = {
        staleRemovalDays: input.staleRemovalDays === undefined ? old.staleRemovalDays : input.staleRemovalDays,
        requireMfa: input.requireMfa ?? old.requireMfa,
      };
      if (old.staleRemovalDays === next.staleRemovalDays && old.requireMfa === next.requireMfa) return next;
      if (next.requireMfa && !old.requireMfa && !(principal.type === 'admin' && (await mfaEnabled(principal.personId))))
        throw new AppError('mfa_not_enabled', 'Turn on two-step verification for yourself first.');
      await saveSettings(tx, principal.customerId, next);
      if (old.staleRemovalDays !== next.staleRemovalDays)
        await staleRegistrations.cancelAnnounced(tx, principal.customerId);
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type: 'customer', id: principal.customerId, label: principal.customerName },
        details: { old, new: next },
      });
      return next;
    });
  }

  return { get, update };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
