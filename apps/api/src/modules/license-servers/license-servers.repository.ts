import type { TLicenseServer } from '@reg/contracts/usage-api';
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
                OR EXISTS (SELECT 1 FROM usage_records u WHERE u.license_server_id = ls.id))`,
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

/** Per server and product/edition/model, the newest period's record from the latest-collected report. */
export async function latestUsage(db: Db, serverIds: string[]): Promise<Map<string, TLicenseServer['latest']>> {
  const result = new Map<string, TLicenseServer['latest']>();
  if (!serverIds.length) return result;
  const rows = await db.$queryRaw<
    {
      license_server_id: string;
      product_code: string;
      edition: string;
      license_model: 'user-device' | 'concurrent';
      installed: number;
      in_use: number;
      period_start: Date;
    }[]
  >`
    SELECT DISTINCT ON (license_server_id, product_code, edition, license_model)
           license_server_id, product_code, edition, license_model, installed, in_use, period_start
    FROM usage_records WHERE license_server_id = ANY(${serverIds}::uuid[])
    ORDER BY license_server_id, product_code, edition, license_model, period_start DESC, collected_at DESC, id DESC`;
  for (const row of rows) {
    const list = result.get(row.license_server_id) ?? [];
    list.push({
      productCode: row.product_code,
      edition: row.edition,
      licenseModel: row.license_model,
      installed: row.installed,
      inUse: row.in_use,
      periodStart: row.period_start.toISOString(),
    });
    result.set(row.license_server_id, list);
  }
  return result;
}

export function findServer(db: Db, customerId: string, id: string) {
  return db.licenseServer.findFirst({ where: { id, customerId } });
}

export interface DailyUsageRow {
  product_code: string;
  edition: string;
  license_model: 'user-device' | 'concurrent';
  day: string;
  installed: number;
  in_use: number;
  peak_in_use: number;
}

/** One row per day and product: per period the latest-collected record wins, then the day's highest values. */
export function dailyUsage(db: Db, serverId: string, from: Date, toExclusive: Date): Promise<DailyUsageRow[]> {
  return db.$queryRaw<DailyUsageRow[]>`
    WITH latest AS (
      SELECT DISTINCT ON (period_start, product_code, edition, license_model)
             period_start, product_code, edition, license_model, installed, in_use, peak_in_use
      FROM usage_records
      WHERE license_server_id = ${serverId}::uuid
        AND period_start >= ${from} AND period_start < ${toExclusive}
      ORDER BY period_start, product_code, edition, license_model, collected_at DESC, id DESC)
    SELECT product_code, edition, license_model, to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
           max(installed)::int AS installed, max(in_use)::int AS in_use, max(peak_in_use)::int AS peak_in_use
    FROM latest GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
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
