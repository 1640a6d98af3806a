import type { TRegistration } from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import { notFound } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { replaceTags, shownRegistration } from './registration-tags.repository.ts';
import type { RegistrationService } from './registrations.service.ts';

interface Deps {
  db: Db;
  audit: AuditService;
  settings: SettingsService;
  toRegistration: RegistrationService['toRegistration'];
}

/** PATCH /registrations/:id: a registration's tags, edited by a full admin or an API client one made. */
export function createRegistrationTags({ db, audit, settings, toRegistration }: Deps) {
  /**
   * Replaces the tags of a listed registration (pending or active) of the principal's customer;
   * 404 for a removed, unknown or another customer's one. Audited when they change, so sending
   * the same tags again (a retry) changes and records nothing.
   */
  async function changeTags(principal: Principal, id: string, tags: string[]): Promise<TRegistration> {
    const { staleRemovalDays } = await settings.get(principal);
    const row = await db.$transaction(async (tx) => {
      const from = await replaceTags(tx, principal.customerId, id, tags);
      if (!from) throw notFound();
      const shown = await shownRegistration(tx, principal.customerId, id);
      if (from.join(' ') !== tags.join(' ')) {
        await audit.record(tx, {
          customerId: principal.customerId,
          actor: actorOf(principal),
          action: 'registration.tags_changed',
          target: { type: 'registration', id, label: shown.serverName },
          details: { from, to: tags },
        });
      }
      return shown;
    });
    return toRegistration(row, staleRemovalDays);
  }
  return { changeTags };
}

export type RegistrationTags = ReturnType<typeof createRegistrationTags>;
