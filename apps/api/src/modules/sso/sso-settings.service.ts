import type { TSsoSettings } from '@reg/contracts/sso-api';
import type { ZSsoSettingsRequest } from '@reg/contracts/sso-api';
import type { Db } from '@reg/db/client';
import type { z } from 'zod';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal } from '../../lib/principal.ts';
import type { SealedBox } from '../../lib/sealed-box.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { SsoDiscovery } from './sso-discovery.ts';
import {
  deleteSsoSettings,
  domainsTakenByOthers,
  findEmailDomains,
  findSsoSettings,
  lockSsoSettings,
  replaceEmailDomains,
  upsertSsoSettings,
  type SsoSettingsRow,
} from './sso.repository.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  discovery: Pick<SsoDiscovery, 'discover'>;
  sealedBox: SealedBox;
  publicUrl: string;
}

type SsoSettingsInput = z.output<typeof ZSsoSettingsRequest>;

export const ssoCallbackPath = '/api/console/sso/callback';

/** What the audit log keeps of the settings: everything but the secret. */
const auditView = (row: SsoSettingsRow, emailDomains: string[]) => ({
  issuer: row.issuer,
  clientId: row.clientId,
  emailDomains,
  groupsClaim: row.groupsClaim,
  fullAdminGroups: row.fullAdminGroups,
  readOnlyGroups: row.readOnlyGroups,
  justInTime: row.justInTime,
  enforced: row.enforced,
});

export function createSsoSettingsService({ db, clock, audit, discovery, sealedBox, publicUrl }: Deps) {
  const redirectUri = `${publicUrl}${ssoCallbackPath}`;
  const httpAllowed = publicUrl.startsWith('http://');

  const toSettings = (row: SsoSettingsRow | null, emailDomains: string[]): TSsoSettings => ({
    issuer: row?.issuer ?? null,
    clientId: row?.clientId ?? null,
    clientSecretSet: row !== null,
    emailDomains,
    groupsClaim: row?.groupsClaim ?? 'groups',
    fullAdminGroups: row?.fullAdminGroups ?? [],
    readOnlyGroups: row?.readOnlyGroups ?? [],
    justInTime: row?.justInTime ?? false,
    enforced: row?.enforced ?? false,
    redirectUri,
    testedAt: row?.testedAt?.toISOString() ?? null,
  });

  async function get(principal: { customerId: string }): Promise<TSsoSettings> {
    const row = await findSsoSettings(db, principal.customerId);
    return toSettings(row, row ? await findEmailDomains(db, principal.customerId) : []);
  }

  async function put(principal: AdminPrincipal, input: SsoSettingsInput): Promise<TSsoSettings> {
    if (input.issuer.startsWith('http:') && !httpAllowed) {
      throw new AppError('invalid_request', 'issuer: must be an https URL.');
    }
    const stored = await findSsoSettings(db, principal.customerId);
    const storedSecret = stored ? sealedBox.open(stored.clientSecretSealed) : null;
    const clientSecret = input.clientSecret ?? storedSecret;
    if (clientSecret === null) {
      throw new AppError(
        'invalid_request',
        stored
          ? 'clientSecret: the stored secret can no longer be read (the server secret changed); enter it again.'
          : 'clientSecret: is required the first time.',
      );
    }
    // Cheap refusals before the call to the IdP.
    if (await domainsTakenByOthers(db, principal.customerId, input.emailDomains))
      throw new AppError('email_domain_taken');
    await discovery.discover({ issuer: input.issuer, clientId: input.clientId, clientSecret });

    const saved = await db
      .$transaction(async (tx) => {
        const old = await lockSsoSettings(tx, principal.customerId);
        const oldDomains = old ? await findEmailDomains(tx, principal.customerId) : [];
        if (await domainsTakenByOthers(tx, principal.customerId, input.emailDomains))
          throw new AppError('email_domain_taken');
        const sameClient = old !== null && old.issuer === input.issuer && old.clientId === input.clientId;
        const row: SsoSettingsRow = {
          customerId: principal.customerId,
          issuer: input.issuer,
          clientId: input.clientId,
          clientSecretSealed:
            input.clientSecret === undefined && old ? old.clientSecretSealed : sealedBox.seal(clientSecret),
          groupsClaim: input.groupsClaim ?? 'groups',
          fullAdminGroups: [...new Set(input.fullAdminGroups ?? [])],
          readOnlyGroups: [...new Set(input.readOnlyGroups ?? [])],
          justInTime: input.justInTime ?? false,
          enforced: input.enforced ?? false,
          // A successful sign-in proves this issuer and client only.
          testedAt: sameClient ? old.testedAt : null,
        };
        if (row.enforced && !row.testedAt) throw new AppError('sso_not_tested');
        const domains = [...input.emailDomains].sort();
        await upsertSsoSettings(tx, row, clock.now());
        await replaceEmailDomains(tx, principal.customerId, domains);
        const clientSecretChanged = input.clientSecret !== undefined && input.clientSecret !== storedSecret;
        const before = old && auditView(old, oldDomains);
        const after = auditView(row, domains);
        if (clientSecretChanged || JSON.stringify(before) !== JSON.stringify(after)) {
          await audit.record(tx, {
            customerId: principal.customerId,
            actor: actorOf(principal),
            action: 'sso.settings_changed',
            target: { type: 'customer', id: principal.customerId, label: principal.customerName },
            details: { old: before, new: after, clientSecretChanged },
          });
        }
        return { row, domains };
      })
      .catch((error: unknown) => {
        // Another customer claimed one of the domains between the check and the insert.
        if ((error as { code?: unknown }).code === 'P2002') throw new AppError('email_domain_taken');
        throw error;
      });
    return toSettings(saved.row, saved.domains);
  }

  /** Single sign-on off, and with it enforcement; the links to IdP identities stay. */
  async function remove(principal: AdminPrincipal): Promise<void> {
    await db.$transaction(async (tx) => {
      const old = await lockSsoSettings(tx, principal.customerId);
      if (!old) return;
      const oldDomains = await findEmailDomains(tx, principal.customerId);
      await deleteSsoSettings(tx, principal.customerId);
      await audit.record(tx, {
        customerId: principal.customerId,
        actor: actorOf(principal),
        action: 'sso.settings_changed',
        target: { type: 'customer', id: principal.customerId, label: principal.customerName },
        details: { old: auditView(old, oldDomains), new: null, clientSecretChanged: false },
      });
    });
  }

  return { get, put, remove, redirectUri };
}

export type SsoSettingsService = ReturnType<typeof createSsoSettingsService>;
