import type { TCustomerSettings } from '@reg/contracts/settings-api';
import type { Db } from '@reg/db/client';
import { AppError } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { StaleRegistrationService } from '../stale-registrations/stale-registrations.service.ts';
import { findSettings, lockSettings, saveSettings } from './settings.repository.ts';

/** Customer settings (docs/protocol.md, "Customer settings"): today the stale-removal policy. */
interface Deps {
  db: Db;
  audit: AuditService;
  staleRegistrations: Pick<StaleRegistrationService, 'cancelAnnounced'>;
}

export function createSettingsService({ db, audit, staleRegistrations }: Deps) {
  function get(principal: Principal): Promise<TCustomerSettings> {
    return findSettings(db, principal.customerId);
  }

  /**
   * Saves the settings; a change is audited with the old and the new value. Any change to the
   * policy drops the removals already announced: turned off, nothing is removed; with another
   * number of days, the sweep announces the new times.
   */
  async function update(principal: Principal, settings: TCustomerSettings): Promise<TCustomerSettings> {
    // Also enforced wherever roles are checked for every change; settings are the full admins' own.
    if (principal.role !== 'full') throw new AppError('access_denied', 'Only full admins can change the settings.');
    await db.$transaction(async (tx) => {
      const old = await lockSettings(tx, principal.customerId);
      if (old.staleRemovalDays === settings.staleRemovalDays) return;
      await saveSettings(tx, principal.customerId, settings);
      await staleRegistrations.cancelAnnounced(tx, principal.customerId);
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'settings.changed',
        target: { type: 'customer', id: principal.customerId, label: principal.customerName },
        details: { old, new: settings },
      });
    });
    return settings;
  }

  return { get, update };
}

export type SettingsService = ReturnType<typeof createSettingsService>;
