import { randomBytes } from 'node:crypto';
import type {
  TCreateNotificationChannelRequest,
  TCreatedNotificationChannel,
  TNotificationChannel,
  TNotificationDelivery,
} from '@reg/contracts/notifications-api';
import { ZCreateNotificationChannelRequest } from '@reg/contracts/notifications-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { keysetPage, type Page } from '../../lib/keyset.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { EmailSender } from './email-sender.ts';
import { emailOf, webhookBody } from './event-messages.ts';
import * as repo from './notifications.repository.ts';
import { isPrivateUrl, type WebhookSender } from './webhook-sender.ts';

/** Delays before the retries of a failed attempt (docs/notifications.md): then the delivery is failed. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000];
const CLAIM_BATCH = 20;
/** How long the deliveries log keeps an event (well past the last retry, about 17.6 hours after the first attempt). */
export const KEEP_EVENTS_DAYS = 30;

/** Who manages channels: the customer's admin, or an API client acting for the customer. */
type Manager = Principal;

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  webhooks: WebhookSender;
  email: EmailSender | null;
  publicUrl: string;
  allowPrivateReceivers: boolean;
  notReportingAfterHours: number;
  webhookTimeoutMs: number;
}

/** A channel as the API shows it: the URL or the address, never the secret. */
const toChannel = (
  row: { id: string; type: string; url: string | null; address: string | null; events: string[]; createdAt: Date },
  lastDelivery: TNotificationChannel['lastDelivery'],
): TNotificationChannel => ({
  id: row.id,
  type: row.type as TNotificationChannel['type'],
  ...(row.url !== null && { url: row.url }),
  ...(row.address !== null && { address: row.address }),
  events: row.events,
  createdAt: row.createdAt.toISOString(),
  lastDelivery,
});

const invalidField = (path: string, message: string) =>
  new AppError('invalid_request', `${path}: ${message}`, { details: [{ path: [path], message }] });

export function createNotificationService(deps: Deps) {
  const { db, clock, audit, webhooks, email } = deps;

  async function list(manager: Manager): Promise<TNotificationChannel[]> {
    const rows = await repo.listChannels(db, manager.customerId);
    return rows.map((row) =>
      toChannel(row, row.lastAt && row.lastStatus ? { at: row.lastAt.toISOString(), status: row.lastStatus } : null),
    );
  }

  async function create(
    manager: Manager,
    input: TCreateNotificationChannelRequest,
  ): Promise<TCreatedNotificationChannel> {
    const request = ZCreateNotificationChannelRequest.parse(input);
    if (request.type === 'email' && !email) {
      throw new AppError('email_not_configured');
    }
    if (request.type === 'webhook') {
      if (deps.publicUrl.startsWith('https://') && !request.url.startsWith('https://'))
        throw invalidField('url', 'must be an https URL (this service runs on https)');
      if (!deps.allowPrivateReceivers && isPrivateUrl(request.url))
        throw invalidField('url', 'must not be a loopback or private address');
    }
    const secret = request.type === 'webhook' ? `whsec_${randomBytes(32).toString('base64')}` : undefined;
    const row = await db.$transaction(async (tx) => {
      const created = await repo.createChannel(tx, {
        customerId: manager.customerId,
        type: request.type,
        ...(request.type === 'webhook' ? { url: request.url, secret } : { address: request.address }),
        events: request.events,
        createdAt: clock.now(),
      });
      await audit.record(tx, {
        customerId: manager.customerId,
        actor: actorOf(manager),
        action: 'notification_channel.created',
        target: { type: 'notification_channel', id: created.id, label: created.url ?? created.address ?? '' },
        details: { type: created.type as 'webhook' | 'email', events: created.events },
      });
      return created;
    });
    return { ...toChannel(row, null), ...(secret && { secret }) };
  }

  /** Its deliveries go with it (ON DELETE CASCADE): pending ones are dropped. */
  async function remove(manager: Manager, id: string): Promise<void> {
    await db.$transaction(async (tx) => {
      const channel = await repo.findChannel(tx, manager.customerId, id);
      if (!channel) throw notFound();
      await repo.deleteChannel(tx, id);
      await audit.record(tx, {
        customerId: manager.customerId,
        actor: actorOf(manager),
        action: 'notification_channel.deleted',
        target: { type: 'notification_channel', id, label: channel.url ?? channel.address ?? '' },
      });
    });
  }

  async function sendTest(manager: Manager, id: string): Promise<{ eventId: string }> {
    const channel = await repo.findChannel(db, manager.customerId, id);
    if (!channel) throw notFound();
    const eventId = await repo.enqueueEvent(db, {
      customerId: manager.customerId,
      type: 'test',
      at: clock.now(),
      channelId: id,
      data: { message: 'A test from the Notifications page.' },
    });
    return { eventId: eventId! };
  }

  async function deliveries(
    manager: Manager,
    id: string,
    query: { cursor?: string | undefined; limit: number },
  ): Promise<Page<TNotificationDelivery>> {
    const channel = await repo.findChannel(db, manager.customerId, id);
    if (!channel) throw notFound();
    return keysetPage({
      cursor: query.cursor,
      limit: query.limit,
      kinds: ['timestamp', 'uuid'],
      fetch: (after, take) => repo.listDeliveries(db, id, after, take),
      keyOf: (row) => [row.at, row.id],
      map: (row) => ({
        id: row.id,
        eventId: row.eventId,
        type: row.event.type,
        attempt: row.attempt,
        status: row.status as TNotificationDelivery['status'],
        responseStatus: row.responseStatus,
        error: row.error,
        at: row.at.toISOString(),
        nextAttemptAt: (row.status === 'pending' ? row.dueAt : row.nextAttemptAt)?.toISOString() ?? null,
      }),
    });
  }

  /** Announces registrations that turned Not reporting or report again; safe to run on every instance at once. */
  async function sweep(): Promise<number> {
    const now = clock.now();
    const cutoff = new Date(now.getTime() - deps.notReportingAfterHours * 3600_000);
    return db.$transaction(async (tx) => {
      const transitions = await repo.claimServerTransitions(tx, now, cutoff);
      for (const t of transitions) {
        await repo.enqueueEvent(tx, {
          customerId: t.customerId,
          type: t.notReporting ? 'server.not_reporting' : 'server.reporting_again',
          at: now,
          data: {
            server: {
              licenseServerId: t.licenseServerId,
              registrationId: t.registrationId,
              serverName: t.serverName,
              hostname: t.hostname,
            },
            lastContactAt: t.lastContactAt?.toISOString() ?? null,
          },
        });
      }
      return transitions.length;
    });
  }

  /** One pass of the delivery loop: claim what is due, send, record each attempt. Returns how many were attempted. */
  async function deliverDue(): Promise<number> {
    const now = clock.now();
    // The lease outlasts the send's timeout, so no other instance takes a delivery while it is in flight.
    const leaseUntil = new Date(now.getTime() + deps.webhookTimeoutMs + 60_000);
    const claimed = await db.$transaction((tx) => repo.claimDueDeliveries(tx, now, leaseUntil, CLAIM_BATCH));
    await Promise.all(claimed.map((delivery) => attempt(delivery)));
    return claimed.length;
  }

  async function attempt(delivery: repo.ClaimedDelivery): Promise<void> {
    const result = await send(delivery);
    const at = clock.now();
    const delay = RETRY_DELAYS_MS[delivery.attempt - 1];
    const retryAt = !result.ok && delay !== undefined ? new Date(at.getTime() + delay) : null;
    await repo.recordAttempt(db, delivery.id, {
      status: result.ok ? 'delivered' : 'failed',
      responseStatus: result.responseStatus,
      error: result.error,
      at,
      retryAt,
    });
  }

  async function send(delivery: repo.ClaimedDelivery) {
    if (delivery.channelType === 'webhook') {
      return webhooks.send({
        url: delivery.url!,
        secret: delivery.secret!,
        id: delivery.eventId,
        timestamp: Math.floor(clock.now().getTime() / 1000),
        body: webhookBody(delivery),
      });
    }
    if (!email) return { ok: false, responseStatus: null, error: 'SMTP_URL is not set: this server sends no email.' };
    try {
      await email.send({ to: delivery.address!, ...emailOf(delivery, deps.publicUrl) });
      return { ok: true, responseStatus: null, error: null };
    } catch (error) {
      return { ok: false, responseStatus: null, error: (error as Error).message.slice(0, 500) };
    }
  }

  /** Housekeeping: the log keeps KEEP_EVENTS_DAYS of events. */
  function purgeOld(): Promise<number> {
    return repo.purgeEvents(db, new Date(clock.now().getTime() - KEEP_EVENTS_DAYS * 24 * 3600_000));
  }

  /** Closes the senders' connections (the app's onClose). */
  async function close(): Promise<void> {
    await webhooks.close();
    email?.close();
  }

  return { list, create, remove, sendTest, deliveries, sweep, deliverDue, purgeOld, close };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
