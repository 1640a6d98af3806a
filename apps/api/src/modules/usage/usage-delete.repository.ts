import type { Tx } from '../../lib/tx.ts';
import type { TServerRef } from '@reg/contracts/events';

/**
 * Delete data (usage-delete.service.ts): the reports a server had when it began, their
 * records a span of periods at a time, then its last upload; rollups are rebuilt last
 * (usage-rollups.repository.ts).
 */

/** The ids of the server's reports committed so far (each with all its records: they commit together). */
export async function reportIdsOf(tx: Tx, serverId: string): Promise<string[]> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM usage_reports WHERE license_server_id = ${serverId}::uuid`;
  return rows.map((row) => row.id);
}

export async function usagePeriodRange(tx: Tx, serverId: string, reportIds: string[]) {
  const [range] = await tx.$queryRaw<{ first: Date | null; last: Date | null }[]>`
    SELECT min(period_start) AS first, max(period_start) AS last FROM usage_records
    WHERE license_server_id = ${serverId}::uuid AND usage_report_id = ANY(${reportIds}::uuid[])`;
  return range?.first && range.last ? { first: range.first, last: range.last } : null;
}

export function deleteUsageBetween(
  tx: Tx,
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
export async function resetLastUpload(tx: Tx, serverId: string, deleted: string[]): Promise<void> {
  await tx.$executeRaw`
    UPDATE license_servers SET last_upload_at = (
      SELECT max(received_at) FROM usage_reports WHERE license_server_id = ${serverId}::uuid AND id <> ALL(${deleted}::uuid[]))
    WHERE id = ${serverId}::uuid`;
}

/** The customer's server as events name it (with its active registration, if any), or null. */
export async function findServerRef(tx: Tx, customerId: string, id: string): Promise<TServerRef | null> {
  const server = await tx.licenseServer.findFirst({
    where: { id, customerId },
    select: { id: true, serverName: true, hostname: true },
  });
  if (!server) return null;
  const active = await tx.registration.findFirst({
    where: { licenseServerId: server.id, removedAt: null, pendingApproval: false },
    select: { id: true },
  });
  return {
    licenseServerId: server.id,
    registrationId: active?.id ?? null,
    serverName: server.serverName,
    hostname: server.hostname,
  };
}
