import type { Db, Prisma } from '@reg/db/client';
import type { KeyValue } from '../../lib/keyset.ts';
import type { Actor } from '../../lib/principal.ts';

/** A transaction, or the database: an audit event commits with the action it records. */
export type AuditTx = Pick<Db, 'auditEvent'>;

export interface AuditRow {
  customerId: string;
  at: Date;
  actor: Actor;
  action: string;
  target: { type: string; id: string | null; label: string };
  details: Record<string, unknown>;
}

export async function insertAuditEvent(tx: AuditTx, row: AuditRow): Promise<void> {
  await tx.auditEvent.create({
    data: {
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
    },
  });
}

/** One customer's events, newest first, after an (at, id) key decoded by keyset.ts. */
export function listAuditEvents(db: Db, customerId: string, after: KeyValue[] | null, take: number) {
  const [at, id] = (after ?? []) as [Date, string];
  return db.auditEvent.findMany({
    where: { customerId, ...(after && { OR: [{ at: { lt: at } }, { at, id: { lt: id } }] }) },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take,
  });
}
