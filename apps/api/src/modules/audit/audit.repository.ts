import type { TAuditFilters } from '@reg/contracts/audit-api';
import type { Db, Prisma } from '@reg/db/client';
import type { KeyValue } from '../../lib/keyset.ts';
import type { Actor } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';

interface AuditRow {
  customerId: string;
  at: Date;
  actor: Actor;
  action: string;
  target: { type: string; id: string | null; label: string };
  details: Record<string, unknown>;
}

/** A record's columns: the actor and the target are stored flat. */
function auditData(row: AuditRow) {
  return {
    customerId: row.customerId,
    at: row.at,
    actorType: row.actor.type,
    actorId: row.actor.id,
    actorLabel: row.actor.label,
    action: row.action,
    targetType: row.target.type,
    targetId: row.target.id,
    targetLabel: row.target.label,
    details: row.details as Prisma.InputJsonValue,
  };
}

export function insertAuditEvent(tx: Tx, row: AuditRow) {
  return tx.auditEvent.create({ data: auditData(row) });
}

/** Many records in one statement (a bulk decision over up to 1,000 registrations). */
export async function insertAuditEvents(tx: Tx, rows: readonly AuditRow[]): Promise<void> {
  await tx.auditEvent.createMany({ data: rows.map(auditData) });
}

/** One customer's events matching the filters, newest first, after an (at, id) key decoded by keyset.ts. */
export function listAuditEvents(
  db: Db,
  customerId: string,
  filters: TAuditFilters,
  after: KeyValue[] | null,
  take: number,
) {
  const [at, id] = (after ?? []) as [Date, string];
  return db.auditEvent.findMany({
    where: {
      customerId,
      ...filterWhere(filters),
      ...(after && { OR: [{ at: { lt: at } }, { at, id: { lt: id } }] }),
    },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take,
  });
}

/** A day (`YYYY-MM-DD`) as `from` is its first instant; as `to`, all of it (before the next day). */
function filterWhere(filters: TAuditFilters): Prisma.AuditEventWhereInput {
  const day = (value: string) => value.length === 10;
  const at: Prisma.DateTimeFilter = {};
  if (filters.from) at.gte = new Date(day(filters.from) ? `${filters.from}T00:00:00Z` : filters.from);
  if (filters.to && day(filters.to)) at.lt = new Date(Date.parse(`${filters.to}T00:00:00Z`) + 24 * 3600_000);
  else if (filters.to) at.lte = new Date(filters.to);
  return {
    ...(filters.action && { action: filters.action }),
    ...(filters.actorId && { actorId: filters.actorId }),
    ...((filters.from || filters.to) && { at }),
  };
}
