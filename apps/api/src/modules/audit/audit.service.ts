import type { TAuditAction, TAuditDetails, TAuditEvent, TAuditFilters } from '@reg/contracts/audit-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { keysetPage, type Page } from '../../lib/keyset.ts';
import type { Actor } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { Outbox } from '../notifications/outbox.ts';
import { insertAuditEvent, insertAuditEvents, listAuditEvents } from './audit.repository.ts';

/**
 * One audit record: the action is one of the contracts' AUDIT_ACTIONS and its details are
 * that action's TAuditDetails, so a misspelt action or a missing detail does not compile.
 */
type AuditEntry<A extends TAuditAction = TAuditAction> = {
  [Action in A]: {
    customerId: string;
    actor: Actor;
    action: Action;
    target: { type: string; id: string | null; label: string };
  } & (Record<string, never> extends TAuditDetails[Action]
    ? { details?: TAuditDetails[Action] }
    : { details: TAuditDetails[Action] });
}[A];

type AuditEventRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

const toAuditEvent = (row: AuditEventRow): TAuditEvent => ({
  id: row.id,
  at: row.at.toISOString(),
  actor: { type: row.actorType as Actor['type'], id: row.actorId, label: row.actorLabel },
  action: row.action as TAuditAction,
  target: { type: row.targetType, id: row.targetId, label: row.targetLabel },
  details: row.details as Record<string, unknown>,
});

/** The Prisma client itself (a caller outside any transaction passes `db`), as opposed to a transaction. */
const isClient = (tx: Tx): tx is Tx & Pick<Db, '$transaction'> =>
  typeof (tx as Partial<Pick<Db, '$transaction'>>).$transaction === 'function';

export function createAuditService({ db, clock, outbox }: { db: Db; clock: Clock; outbox: Pick<Outbox, 'enqueue'> }) {
  /**
   * Written in the caller's transaction (or, on `db` outside one, in a transaction of its own),
   * so an action, its record and the record's `audit.event` commit together: the one place
   * audit records are written is the one place they are streamed, exactly once per channel
   * subscribed when it commits (the record of a channel's own creation included).
   */
  async function record(tx: Tx, entry: AuditEntry): Promise<void> {
    if (isClient(tx)) return tx.$transaction((inner) => write(inner, entry));
    return write(tx, entry);
  }

  async function write(tx: Tx, entry: AuditEntry): Promise<void> {
    const at = clock.now();
    const row = await insertAuditEvent(tx, { ...entry, at, details: entry.details ?? {} });
    await outbox.enqueue(tx, {
      customerId: entry.customerId,
      at,
      type: 'audit.event',
      data: { audit: toAuditEvent(row) },
    });
  }

  /** Several records in one statement, in the caller's transaction. */
  async function recordMany(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const at = clock.now();
    await insertAuditEvents(
      tx,
      entries.map((entry) => ({ ...entry, at, details: entry.details ?? {} })),
    );
  }

  /** One customer's events, newest first, filtered (the list and the CSV export alike). */
  function list(
    customerId: string,
    query: TAuditFilters & { cursor?: string | undefined; limit: number },
  ): Promise<Page<TAuditEvent>> {
    return keysetPage({
      cursor: query.cursor,
      limit: query.limit,
      kinds: ['timestamp', 'uuid'],
      fetch: (after, take) => listAuditEvents(db, customerId, query, after, take),
      keyOf: (row) => [row.at, row.id],
      map: toAuditEvent,
    });
  }

  return { record, recordMany, list };
}

export type AuditService = ReturnType<typeof createAuditService>;
