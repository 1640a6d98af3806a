import type { TEvent } from '@reg/contracts/events';
import type { TNotificationEventType } from '@reg/contracts/notifications-api';
import type { Db } from '@reg/db/client';
import type { KeyValue } from '../../lib/keyset.ts';
import { prismaQuery, type Query } from '../../lib/query.ts';
import type { ServerRef } from './event-messages.ts';

/** A transaction (or the client): whatever runs raw SQL. */
export type Tx = Pick<Db, '$queryRaw' | '$executeRaw' | '$queryRawUnsafe'>;

/** An event as the outbox takes it: one of the typed events of contracts/events.ts, for one customer. */
export type OutboxEvent = TEvent & {
  customerId: string;
  at: Date;
  /** Only this channel (the `test` event); else every channel of the customer subscribed to the type. */
  channelId?: string;
};

/**
 * Writes an event to the outbox with one pending delivery per subscribed channel, in the
 * caller's transaction, so the change and its notification commit together or not at all.
 * Nothing is written when no channel wants it: the hot paths pay one indexed look-up.
 * $1 customer, $2 type, $3 data, $4 at, $5 only this channel (the `test` event) or null: every
 * channel of the customer subscribed to the type.
 */
const ENQUEUE_EVENT = `
  WITH channels AS (
    SELECT ch.id FROM notification_channels ch
    WHERE ch.customer_id = $1::uuid AND (ch.id = $5::uuid OR ($5::uuid IS NULL AND $2::text = ANY(ch.events)))
  ), event AS (
    INSERT INTO notification_events (id, customer_id, type, data, created_at)
    SELECT gen_random_uuid(), $1::uuid, $2::text, $3::jsonb, $4::timestamptz
    WHERE EXISTS (SELECT 1 FROM channels)
    RETURNING id
  ), deliveries AS (
    INSERT INTO notification_deliveries (id, event_id, channel_id, attempt, status, at, due_at)
    SELECT gen_random_uuid(), event.id, channels.id, 1, 'pending', $4::timestamptz, $4::timestamptz FROM event, channels
  )
  SELECT id FROM event`;

/** ENQUEUE_EVENT on the transaction's connection; the event's id, or null when no channel wants it. */
export async function enqueueEventWith(query: Query, event: OutboxEvent): Promise<string | null> {
  const rows = await query<{ id: string }>('enqueue-event', ENQUEUE_EVENT, [
    event.customerId,
    event.type,
    JSON.stringify(event.data),
    event.at,
    event.channelId ?? null,
  ]);
  return rows[0]?.id ?? null;
}

/** enqueueEvent in a Prisma transaction. */
export const enqueueEvent = (tx: Tx, event: OutboxEvent) => enqueueEventWith(prismaQuery(tx), event);

export interface ServerTransition {
  registrationId: string;
  customerId: string;
  licenseServerId: string;
  serverName: string;
  hostname: string;
  lastContactAt: Date | null;
  notReporting: boolean;
}

/**
 * Registrations whose reporting state differs from what was last announced, marked as
 * announced. The upsert only writes where the stored state still differs: a second sweep
 * running at the same time waits on the row, then finds it already changed and returns
 * nothing, so each transition is returned (and announced) exactly once.
 */
export function claimServerTransitions(tx: Tx, now: Date, cutoff: Date): Promise<ServerTransition[]> {
  return tx.$queryRaw<ServerTransition[]>`
    WITH observed AS (
      SELECT r.id, r.customer_id, r.license_server_id, r.server_name, r.hostname, r.last_contact_at,
             (r.last_contact_at IS NOT NULL AND r.last_contact_at <= ${cutoff}) AS not_reporting
      FROM registrations r LEFT JOIN notification_server_states s ON s.registration_id = r.id
      WHERE r.removed_at IS NULL
        AND (r.last_contact_at IS NOT NULL AND r.last_contact_at <= ${cutoff}) <> coalesce(s.not_reporting, false)
    ), changed AS (
      INSERT INTO notification_server_states (registration_id, not_reporting, changed_at)
      SELECT id, not_reporting, ${now} FROM observed
      ON CONFLICT (registration_id) DO UPDATE SET not_reporting = excluded.not_reporting, changed_at = excluded.changed_at
      WHERE notification_server_states.not_reporting <> excluded.not_reporting
      RETURNING registration_id
    )
    SELECT o.id AS "registrationId", o.customer_id AS "customerId", o.license_server_id AS "licenseServerId",
           o.server_name AS "serverName", o.hostname, o.last_contact_at AS "lastContactAt", o.not_reporting AS "notReporting"
    FROM observed o JOIN changed c ON c.registration_id = o.id`;
}

export interface ClaimedDelivery {
  id: string;
  attempt: number;
  eventId: string;
  type: TNotificationEventType;
  data: Record<string, unknown>;
  createdAt: Date;
  channelType: 'webhook' | 'email';
  url: string | null;
  address: string | null;
  secret: string | null;
  customerId: string;
  customerName: string;
}

/**
 * Takes up to `limit` due deliveries for this instance: SKIP LOCKED lets instances claim side
 * by side, and the lease (due_at moved past the send's timeout) keeps them from taking one
 * another's while it is being sent. A lease that runs out (the instance died) makes it due again.
 */
export function claimDueDeliveries(db: Tx, now: Date, leaseUntil: Date, limit: number) {
  return db.$queryRaw<ClaimedDelivery[]>`
    WITH due AS (
      SELECT id FROM notification_deliveries WHERE status = 'pending' AND due_at <= ${now}
      ORDER BY due_at LIMIT ${limit} FOR UPDATE SKIP LOCKED
    ), leased AS (
      UPDATE notification_deliveries d SET due_at = ${leaseUntil} FROM due WHERE d.id = due.id
      RETURNING d.id, d.attempt, d.event_id, d.channel_id
    )
    SELECT l.id, l.attempt, e.id AS "eventId", e.type, e.data, e.created_at AS "createdAt", ch.type AS "channelType",
           ch.url, ch.address, ch.secret, c.id AS "customerId", c.name AS "customerName"
    FROM leased l JOIN notification_events e ON e.id = l.event_id JOIN notification_channels ch ON ch.id = l.channel_id
    JOIN customers c ON c.id = e.customer_id`;
}

export interface AttemptOutcome {
  status: 'delivered' | 'failed';
  responseStatus: number | null;
  error: string | null;
  at: Date;
  /** For a failed attempt that will be retried. */
  retryAt: Date | null;
}

/** Records an attempt and, when it will be retried, the next attempt's pending row (one statement). */
export async function recordAttempt(db: Tx, id: string, outcome: AttemptOutcome): Promise<void> {
  await db.$executeRaw`
    WITH done AS (
      UPDATE notification_deliveries
      SET status = ${outcome.status}, response_status = ${outcome.responseStatus}, error = ${outcome.error},
          at = ${outcome.at}, due_at = NULL, next_attempt_at = ${outcome.retryAt}
      WHERE id = ${id}::uuid AND status = 'pending'
      RETURNING event_id, channel_id, attempt
    )
    INSERT INTO notification_deliveries (id, event_id, channel_id, attempt, status, at, due_at)
    SELECT gen_random_uuid(), event_id, channel_id, attempt + 1, 'pending', ${outcome.retryAt}, ${outcome.retryAt}
    FROM done WHERE ${outcome.retryAt}::timestamptz IS NOT NULL`;
}

/** Events older than `before` with nothing left to send, and their delivery log (ON DELETE CASCADE). */
export function purgeEvents(db: Tx, before: Date): Promise<number> {
  return db.$executeRaw`
    DELETE FROM notification_events e WHERE e.created_at < ${before}
      AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')`;
}

export function listChannels(db: Db, customerId: string) {
  return db.$queryRaw<
    {
      id: string;
      type: 'webhook' | 'email';
      url: string | null;
      address: string | null;
      events: string[];
      createdAt: Date;
      lastAt: Date | null;
      lastStatus: 'pending' | 'delivered' | 'failed' | null;
    }[]
  >`
    SELECT ch.id, ch.type, ch.url, ch.address, ch.events, ch.created_at AS "createdAt", d.at AS "lastAt", d.status AS "lastStatus"
    FROM notification_channels ch
    LEFT JOIN LATERAL (
      SELECT at, status FROM notification_deliveries WHERE channel_id = ch.id ORDER BY at DESC, id DESC LIMIT 1
    ) d ON true
    WHERE ch.customer_id = ${customerId}::uuid
    ORDER BY ch.created_at DESC, ch.id DESC`;
}

export function createChannel(
  db: Pick<Db, 'notificationChannel'>,
  data: {
    customerId: string;
    type: 'webhook' | 'email';
    url?: string;
    address?: string;
    events: string[];
    secret?: string;
    createdAt: Date;
  },
) {
  return db.notificationChannel.create({ data });
}

export function findChannel(db: Pick<Db, 'notificationChannel'>, customerId: string, id: string) {
  return db.notificationChannel.findFirst({ where: { id, customerId } });
}

export function deleteChannel(db: Pick<Db, 'notificationChannel'>, id: string) {
  return db.notificationChannel.delete({ where: { id } });
}

/** A license server as events name it, with its active registration if it has one. */
export async function serverRefOf(
  tx: Pick<Db, 'registration'>,
  server: { id: string; serverName: string; hostname: string },
): Promise<ServerRef> {
  const active = await tx.registration.findFirst({
    where: { licenseServerId: server.id, removedAt: null },
    select: { id: true },
  });
  return {
    licenseServerId: server.id,
    registrationId: active?.id ?? null,
    serverName: server.serverName,
    hostname: server.hostname,
  };
}

/** Newest first, keyset on (at, id). */
export function listDeliveries(db: Db, channelId: string, after: KeyValue[] | null, take: number) {
  return db.notificationDelivery.findMany({
    where: {
      channelId,
      ...(after && {
        OR: [{ at: { lt: after[0] as Date } }, { at: after[0] as Date, id: { lt: after[1] as string } }],
      }),
    },
    include: { event: { select: { type: true } } },
    orderBy: [{ at: 'desc' }, { id: 'desc' }],
    take,
  });
}
