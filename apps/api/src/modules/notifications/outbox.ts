import type { TEvent, TSystemMail } from '@reg/contracts/events';
import { prismaQuery, type Query } from '../../lib/query.ts';
import type { Tx } from '../../lib/tx.ts';
import { enqueueEventsWith, enqueueEventWith, enqueueSystemMailWith } from './deliveries.repository.ts';

/** A system mail as the dispatcher hands it over to be written (identity-mail). */
export type { SystemMailDelivery } from './deliveries.repository.ts';

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
    /**
     * A mail to one address (an invitation, a password reset), in the caller's transaction: sent
     * and retried by the same dispatcher as events, and not lost if the process stops after the
     * commit. `customerId`: the customer it is sent for (its name in the mail, its fair share).
     */
    enqueueMail: (tx: Tx, mail: TSystemMail & { customerId: string; at: Date }) =>
      enqueueSystemMailWith(prismaQuery(tx), mail),
  };
}

export type Outbox = ReturnType<typeof createOutbox>;
