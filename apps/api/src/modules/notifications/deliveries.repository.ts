import type { TEvent, TSystemMail } from '@reg/contracts/events';
import type { TChannelType } from '@reg/contracts/notifications-api';
import type { KeyValue } from '../../lib/keyset.ts';
import type { Query } from '../../lib/query.ts';
import type { Tx } from '../../lib/tx.ts';

/** An event as the outbox takes it: one of the typed events of contracts/events.ts, for one customer. */
type OutboxEvent = TEvent & {
  customerId: string;
  at: Date;
  /** Only this channel (the `test` event); else every confirmed channel of the customer subscribed to the type. */
  channelId?: string;
};

/**
 * Writes an event to the outbox with one pending delivery per subscribed, confirmed channel,
 * in the caller's transaction, so the change and its notification commit together or not at
 * all. Nothing is written when no channel wants it: the hot paths pay one indexed look-up.
 * The one parameter is the event as JSON, so each value is named where it is read.
 */
const ENQUEUE_EVENT = `
  WITH input AS (
    SELECT (e->>'customerId')::uuid AS customer_id, e->>'type' AS type, e->'data' AS data,
           (e->>'at')::timestamptz AS at, (e->>'channelId')::uuid AS channel_id
    FROM (SELECT $1::jsonb AS e) given
  ), channels AS (
    SELECT ch.id FROM notification_channels ch, input
    WHERE ch.customer_id = input.customer_id AND ch.confirmed_at IS NOT NULL
      AND (ch.id = input.channel_id OR (input.channel_id IS NULL AND input.type = ANY(ch.events)))
  ), event AS (
    INSERT INTO notification_events (id, customer_id, type, data, created_at)
    SELECT gen_random_uuid(), input.customer_id, input.type, input.data, input.at FROM input
    WHERE EXISTS (SELECT 1 FROM channels)
    RETURNING id, created_at
  ), mute AS (
    -- A maintenance window covering the event's time and matching it (all servers, or the
    -- event's server): the event is kept, each channel gets a final 'muted' row, nothing is sent.
    SELECT m.id FROM notification_mutes m, input
    WHERE m.customer_id = input.customer_id AND m.from_at <= input.at AND input.at < m.to_at
      AND input.type NOT IN ('test', 'audit.event')
      AND (m.registration_id IS NULL OR m.registration_id::text = input.data->'server'->>'registrationId')
    ORDER BY m.from_at, m.id LIMIT 1
  ), deliveries AS (
    INSERT INTO notification_deliveries (id, event_id, channel_id, attempt, status, at, due_at, mute_id)
    SELECT gen_random_uuid(), event.id, channels.id, 1, CASE WHEN mute.id IS NULL THEN 'pending' ELSE 'muted' END,
           event.created_at, CASE WHEN mute.id IS NULL THEN event.created_at END, mute.id
    FROM event CROSS JOIN channels LEFT JOIN mute ON true
  )
  SELECT id FROM event`;

/** ENQUEUE_EVENT on the transaction's connection; the event's id, or null when no channel wants it. */
export async function enqueueEventWith(query: Query, event: OutboxEvent): Promise<string | null> {
  const input = {
    customerId: event.customerId,
    type: event.type,
    data: event.data,
    at: event.at.toISOString(),
    channelId: event.channelId ?? null,
  };
  const rows = await query<{ id: string }>('enqueue-event', ENQUEUE_EVENT, [JSON.stringify(input)]);
  return rows[0]?.id ?? null;
}

/**
 * ENQUEUE_EVENT for many events in one statement (approving 1,000 registrations writes 1,000
 * events: one round trip each was most of the request's time). The same rules per event; the
 * events' ids are made in `input`, which PostgreSQL evaluates once since it calls a volatile
 * function, so the events and their deliveries agree on them.
 */
const ENQUEUE_EVENTS = `
  WITH input AS (
    SELECT gen_random_uuid() AS id, given.ord, (e->>'customerId')::uuid AS customer_id, e->>'type' AS type,
           e->'data' AS data, (e->>'at')::timestamptz AS at, (e->>'channelId')::uuid AS channel_id
    FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS given(e, ord)
  ), wanted AS (
    SELECT input.id AS event_id, ch.id AS channel_id FROM input JOIN notification_channels ch
      ON ch.customer_id = input.customer_id AND ch.confirmed_at IS NOT NULL
     AND (ch.id = input.channel_id OR (input.channel_id IS NULL AND input.type = ANY(ch.events)))
  ), event AS (
    INSERT INTO notification_events (id, customer_id, type, data, created_at)
    SELECT input.id, input.customer_id, input.type, input.data, input.at FROM input
    WHERE EXISTS (SELECT 1 FROM wanted WHERE wanted.event_id = input.id)
    RETURNING id, created_at
  ), deliveries AS (
    INSERT INTO notification_deliveries (id, event_id, channel_id, attempt, status, at, due_at)
    SELECT gen_random_uuid(), event.id, wanted.channel_id, 1, 'pending', event.created_at, event.created_at
    FROM event JOIN wanted ON wanted.event_id = event.id
  )
  SELECT id FROM input WHERE EXISTS (SELECT 1 FROM wanted WHERE wanted.event_id = input.id) ORDER BY ord`;

/** ENQUEUE_EVENTS on the transaction's connection; the ids of the events some channel wanted, in order. */
export async function enqueueEventsWith(query: Query, events: readonly OutboxEvent[]): Promise<string[]> {
  if (events.length === 0) return [];
  const input = events.map((event) => ({
    customerId: event.customerId,
    type: event.type,
    data: event.data,
    at: event.at.toISOString(),
    channelId: event.channelId ?? null,
  }));
  const rows = await query<{ id: string }>('enqueue-events', ENQUEUE_EVENTS, [JSON.stringify(input)]);
  return rows.map((row) => row.id);
}

/**
 * A system mail (contracts/events.ts) in the outbox: the event and its one pending delivery,
 * which has no channel (the address is in the mail). In the caller's transaction.
 */
export async function enqueueSystemMailWith(
  query: Query,
  mail: TSystemMail & { customerId: string; at: Date },
): Promise<string> {
  const rows = await query<{ id: string }>(
    'enqueue-system-mail',
    `WITH event AS (
       INSERT INTO notification_events (id, customer_id, type, data, created_at)
       VALUES (gen_random_uuid(), $1::uuid, $2, $3::jsonb, $4::timestamptz) RETURNING id, created_at
     ), delivery AS (
       INSERT INTO notification_deliveries (id, event_id, channel_id, attempt, status, at, due_at)
       SELECT gen_random_uuid(), id, NULL, 1, 'pending', created_at, created_at FROM event
     )
     SELECT id FROM event`,
    [mail.customerId, mail.type, JSON.stringify(mail.data), mail.at.toISOString()],
  );
  return rows[0]!.id;
}

interface ClaimedCommon {
  id: string;
  attempt: number;
  eventId: string;
  createdAt: Date;
  customerId: string;
  customerName: string;
}

/** A delivery to a customer's channel, with its typed event and where it goes. */
export type ChannelDelivery = TEvent &
  ClaimedCommon & { channelType: TChannelType; url: string | null; address: string | null; secret: string | null };

/** A system mail: no channel; it goes to the address it carries. */
export type SystemMailDelivery = TSystemMail & ClaimedCommon & { channelType: null };

/** A delivery taken for sending. */
export type ClaimedDelivery = ChannelDelivery | SystemMailDelivery;

interface ClaimLimits {
  now: Date;
  /** due_at is moved here: no other instance takes the delivery while this one sends it. */
  leaseUntil: Date;
  /** At most this many deliveries in all… */
  limit: number;
  /** …and at most this many per customer, counting those this instance is still sending. */
  perCustomer: number;
  /** Deliveries this instance is sending, per customer. */
  inFlight: ReadonlyMap<string, number>;
}

/**
 * Takes due deliveries for this instance, oldest first within each customer and the
 * customers taking turns, so one customer's backlog or slow receiver never holds another's
 * events back. SKIP LOCKED lets instances claim side by side, and the lease keeps them from
 * taking one another's while it is being sent; a lease that runs out (the instance died)
 * makes it due again.
 */
export function claimDueDeliveries(tx: Tx, limits: ClaimLimits) {
  const busyCustomers = [...limits.inFlight.keys()];
  const busyCounts = [...limits.inFlight.values()];
  return tx.$queryRaw<ClaimedDelivery[]>`
    WITH busy AS (
      SELECT * FROM unnest(${busyCustomers}::uuid[], ${busyCounts}::int[]) AS b(customer_id, sending)
    ), ranked AS (
      SELECT d.id, d.due_at, e.customer_id, coalesce(b.sending, 0) AS sending,
             row_number() OVER (PARTITION BY e.customer_id ORDER BY d.due_at, d.id) AS turn
      FROM notification_deliveries d JOIN notification_events e ON e.id = d.event_id
      LEFT JOIN busy b ON b.customer_id = e.customer_id
      WHERE d.status = 'pending' AND d.due_at <= ${limits.now}
    ), due AS (
      SELECT d.id FROM notification_deliveries d JOIN ranked r ON r.id = d.id
      WHERE r.sending + r.turn <= ${limits.perCustomer}
      ORDER BY r.sending + r.turn, r.due_at LIMIT ${limits.limit}
      FOR UPDATE OF d SKIP LOCKED
    ), leased AS (
      UPDATE notification_deliveries d SET due_at = ${limits.leaseUntil} FROM due WHERE d.id = due.id
      RETURNING d.id, d.attempt, d.event_id, d.channel_id
    )
    SELECT l.id, l.attempt, e.id AS "eventId", e.type, e.data, e.created_at AS "createdAt", ch.type AS "channelType",
           ch.url, ch.address, ch.secret, c.id AS "customerId", c.name AS "customerName"
    FROM leased l JOIN notification_events e ON e.id = l.event_id LEFT JOIN notification_channels ch ON ch.id = l.channel_id
    JOIN customers c ON c.id = e.customer_id`;
}

interface AttemptOutcome {
  status: 'delivered' | 'failed';
  responseStatus: number | null;
  error: string | null;
  at: Date;
  /** For a failed attempt that will be retried. */
  retryAt: Date | null;
}

/** Records an attempt and, when it will be retried, the next attempt's pending row (one statement). */
export async function recordAttempt(tx: Tx, id: string, outcome: AttemptOutcome): Promise<void> {
  await tx.$executeRaw`
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
export function purgeEvents(tx: Tx, before: Date): Promise<number> {
  return tx.$executeRaw`
    DELETE FROM notification_events e WHERE e.created_at < ${before}
      AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.event_id = e.id AND d.status = 'pending')`;
}

/** Newest first, keyset on (at, id). */
export function listDeliveries(tx: Tx, channelId: string, after: KeyValue[] | null, take: number) {
  return tx.notificationDelivery.findMany({
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

/** Test events sent to a channel since `since` (the test-send limit counts them). */
export function countTestsSince(tx: Tx, channelId: string, since: Date): Promise<number> {
  return tx.notificationDelivery.count({
    where: { channelId, attempt: 1, event: { type: 'test', createdAt: { gt: since } } },
  });
}

/** When the oldest test counted by countTestsSince was sent, for Retry-After. */
export async function oldestTestSince(tx: Tx, channelId: string, since: Date): Promise<Date | null> {
  const row = await tx.notificationEvent.findFirst({
    where: { type: 'test', createdAt: { gt: since }, deliveries: { some: { channelId, attempt: 1 } } },
    orderBy: { createdAt: 'asc' },
    select: { createdAt: true },
  });
  return row?.createdAt ?? null;
}
