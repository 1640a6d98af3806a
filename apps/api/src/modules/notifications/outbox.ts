import type { TEvent } from '@reg/contracts/events';
import { prismaQuery, type Query } from '../../lib/query.ts';
import type { Tx } from '../../lib/tx.ts';
import { enqueueEventsWith, enqueueEventWith } from './deliveries.repository.ts';

/** An event for one customer at one time: a typed event of contracts/events.ts. */
type CustomerEvent = TEvent & { customerId: string; at: Date; channelId?: string };

/**
 * The one way any module writes a notification: in the caller's transaction, so the change
 * and its event commit together or not at all. Other modules get it from services.ts.
 */
export function createOutbox() {
  return {
    /** In a Prisma transaction (or on the client outside one). Returns the event's id, or null when no channel wants it. */
    enqueue: (tx: Tx, event: CustomerEvent) => enqueueEventWith(prismaQuery(tx), event),
    /** On a node-postgres transaction's connection (the upload's hot path). */
    enqueueOn: (query: Query, event: CustomerEvent) => enqueueEventWith(query, event),
    /** Many events in one statement (a bulk action's), in a Prisma transaction; the ids of those some channel wanted. */
    enqueueMany: (tx: Tx, events: readonly CustomerEvent[]) => enqueueEventsWith(prismaQuery(tx), events),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
