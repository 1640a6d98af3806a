import type { TLicenseServer } from '@reg/contracts/usage-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { keysetPage, type Page } from '../../lib/keyset.ts';
import type { Principal } from '../../lib/principal.ts';
import { contactStatus } from '../registrations/registration-status.ts';
import type { UsageService } from '../usage/usage.service.ts';
import { listServers, type ListedServer } from './license-servers.repository.ts';

interface Deps {
  db: Db;
  clock: Clock;
  /** Latest values and overdraft per server, from the daily rollups. */
  usage: Pick<UsageService, 'latestOf'>;
  notReportingAfterHours: number;
}

export function createLicenseServerService({ db, clock, usage, notReportingAfterHours }: Deps) {
  /** Servers with usage data or an active registration, by name; keyset on (server_name, id). */
  async function list(
    principal: Principal,
    q: { query?: string | undefined; cursor?: string | undefined; limit: number; id?: string },
  ): Promise<Page<TLicenseServer>> {
    const page = await keysetPage({
      cursor: q.cursor,
      limit: q.limit,
      kinds: ['text', 'uuid'],
      fetch: (after, take) => listServers(db, principal.customerId, q, after, take),
      keyOf: (s: ListedServer) => [s.server_name, s.id],
    });
    const latest = await usage.latestOf(page.items.map((s) => s.id));
    const now = clock.now();
    const items = page.items.map((s): TLicenseServer => ({
      id: s.id,
      serverName: s.server_name,
      hostname: s.hostname,
      instanceId: s.instance_id,
      registration: s.registration_id
        ? { id: s.registration_id, status: contactStatus(s.last_contact_at, now, notReportingAfterHours) }
        : null,
      lastUploadAt: s.last_upload_at?.toISOString() ?? null,
      latest: latest.get(s.id)?.latest ?? [],
      overdraft: latest.get(s.id)?.overdraft ?? false,
    }));
    return { items, nextCursor: page.nextCursor };
  }

  async function get(principal: Principal, id: string): Promise<TLicenseServer> {
    const { items } = await list(principal, { id, limit: 1 });
    if (!items[0]) throw notFound();
    return items[0];
  }

  return { list, get };
}

export type LicenseServerService = ReturnType<typeof createLicenseServerService>;
