import { Prisma, type Db } from '@reg/db/client';
import type { KeyValue } from '../../lib/keyset.ts';
import { likeContains } from '../registrations/registrations.repository.ts';

export interface ServerFilter {
  query?: string | undefined;
  id?: string | undefined;
}

export interface ListedServer {
  id: string;
  server_name: string;
  hostname: string;
  instance_id: string;
  last_upload_at: Date | null;
  registration_id: string | null;
  last_contact_at: Date | null;
}

/** Servers with usage data or an active registration, by name, after a (server_name, id) key. */
export function listServers(
  db: Db,
  customerId: string,
  q: ServerFilter,
  after: KeyValue[] | null,
  take: number,
): Promise<ListedServer[]> {
  const conditions = [
    Prisma.sql`ls.customer_id = ${customerId}::uuid`,
    Prisma.sql`(EXISTS (SELECT 1 FROM registrations r WHERE r.license_server_id = ls.id AND r.removed_at IS NULL)
                OR EXISTS (SELECT 1 FROM usage_latest u WHERE u.license_server_id = ls.id))`,
  ];
  if (q.query) {
    const pattern = likeContains(q.query);
    conditions.push(Prisma.sql`(ls.server_name ILIKE ${pattern} OR ls.hostname ILIKE ${pattern})`);
  }
  if (q.id) conditions.push(Prisma.sql`ls.id = ${q.id}::uuid`);
  if (after) conditions.push(Prisma.sql`(ls.server_name, ls.id) > (${after[0]}, ${after[1]}::uuid)`);
  return db.$queryRaw<ListedServer[]>`
    SELECT ls.id, ls.server_name, ls.hostname, ls.instance_id, ls.last_upload_at, r.id AS registration_id, r.last_contact_at
    FROM license_servers ls
    LEFT JOIN registrations r ON r.license_server_id = ls.id AND r.removed_at IS NULL
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ls.server_name, ls.id
    LIMIT ${take}`;
}

export function findServer(db: Db, customerId: string, id: string) {
  return db.licenseServer.findFirst({ where: { id, customerId } });
}

type UsageTx = Pick<Db, '$executeRaw' | '$queryRaw' | 'licenseServer'>;

/** The ids of the server's reports committed so far (each with all its records: they commit together). */
export async function reportIdsOf(tx: UsageTx, serverId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM usage_reports WHERE license_server_id = ${serverId}::uuid`;
  return rows.map((row) => row.id);
}

export async function usagePeriodRange(tx: UsageTx, serverId: string, reportIds: string[]) {
  const [range] = await tx.$queryRaw<{ first: Date | null; last: Date | null }[]>`
    SELECT min(period_start) AS first, max(period_start) AS last FROM usage_records
    WHERE license_server_id = ${serverId}::uuid AND usage_report_id = ANY(${reportIds}::uuid[])`;
  return range?.first && range.last ? { first: range.first, last: range.last } : null;
}

export function deleteUsageBetween(
  tx: UsageTx,
  serverId: string,
  reportIds: string[],
  from: Date,
  to: Date,
): Promise<number> {
  return tx.$executeRaw`
    DELETE FROM usage_records WHERE license_server_id = ${serverId}::uuid
      AND period_start >= ${from} AND period_start < ${to} AND usage_report_id = ANY(${reportIds}::uuid[])`;
}

/** The server's last upload is now the newest report not among `deleted` (accepted meanwhile), if any. */
export async function resetLastUpload(tx: UsageTx, serverId: string, deleted: string[]): Promise<void> {
  await tx.$executeRaw`
    UPDATE license_servers SET last_upload_at = (
      SELECT max(received_at) FROM usage_reports WHERE license_server_id = ${serverId}::uuid AND id <> ALL(${deleted}::uuid[]))
    WHERE id = ${serverId}::uuid`;
}
