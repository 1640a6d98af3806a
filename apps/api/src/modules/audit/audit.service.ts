import type { TAuditAction, TAuditEvent, TListAuditEventsQuery } from '@reg/contracts/audit-api';
import type { Db, Prisma } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';

export interface Actor {
  type: 'admin' | 'product' | 'api-client' | 'operator' | 'system';
  id: string | null;
  label: string;
}

export interface AuditEntry {
  customerId: string;
  actor: Actor;
  action: TAuditAction;
  target: { type: string; id: string | null; label: string };
  details?: Record<string, unknown>;
}

type Tx = Pick<Db, 'auditEvent'>;

export function createAuditService({ db, clock }: { db: Db; clock: Clock }) {
  /** Written in the caller's transaction, so an action and its record commit together. */
  async function record(tx: Tx, entry: AuditEntry): Promise<void> {
    await tx.auditEvent.create({
      data: {
        customerId: entry.customerId,
        at: clock.now(),
        actorType: entry.actor.type,
        actorId: entry.actor.id,
        actorLabel: entry.actor.label,
        action: entry.action,
        targetType: entry.target.type,
        targetId: entry.target.id,
        targetLabel: entry.target.label,
        details: (entry.details ?? {}) as Prisma.InputJsonValue,
      },
    });
  }

  async function list(customerId: string, query: { cursor?: string; limit: number }) {
    const after = query.cursor ? decodeCursor<[string, string]>(query.cursor, ['string', 'string']) : null;
    const rows = await db.auditEvent.findMany({
      where: {
        customerId,
        ...(after && {
          OR: [{ at: { lt: new Date(after[0]) } }, { at: new Date(after[0]), id: { lt: after[1] } }],
        }),
      },
      orderBy: [{ at: 'desc' }, { id: 'desc' }],
      take: query.limit + 1,
    });
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    const items: TAuditEvent[] = page.map((row) => ({
      id: row.id,
      at: row.at.toISOString(),
      actor: { type: row.actorType as Actor['type'], id: row.actorId, label: row.actorLabel },
      action: row.action,
      target: { type: row.targetType, id: row.targetId, label: row.targetLabel },
      details: row.details as Record<string, unknown>,
    }));
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
    };
  }

  return { record, list };
}

export type AuditService = ReturnType<typeof createAuditService>;
export type { TListAuditEventsQuery };
