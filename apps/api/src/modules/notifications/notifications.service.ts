import { CONSOLE_PATHS } from '@reg/contracts/console-paths';
import { createHash, randomBytes } from 'node:crypto';
import type {
  TCreateNotificationChannelRequest,
  TCreatedNotificationChannel,
  TNotificationChannel,
  TNotificationDelivery,
} from '@reg/contracts/notifications-api';
import { ZCreateNotificationChannelRequest, isChatChannel, type TChannelType } from '@reg/contracts/notifications-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { keysetPage, type Page } from '../../lib/keyset.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import * as channels from './channels.repository.ts';
import * as deliveries from './deliveries.repository.ts';
import { createDelivery, type Senders } from './delivery.ts';
import { confirmationMail } from './event-messages.ts';
import { maskChatUrl, maskUrl } from './mask-url.ts';
import { createOutbox } from './outbox.ts';
import { announceCurrentState, createSweep } from './sweep.ts';
import { isPrivateUrl } from './webhook-sender.ts';

export { RETRY_DELAYS_MS } from './delivery.ts';
/** How long the deliveries log keeps an event (well past the last retry, about 17.6 hours after the first attempt). */
const KEEP_EVENTS_DAYS = 30;
/** Test sends per channel per hour, and confirmation mails likewise (one every 12 minutes). */
const TEST_SENDS_PER_HOUR = 5;
/** How long a confirmation link works. */
const CONFIRM_LINK_HOURS = 72;
const HOUR = 3600_000;

interface Deps extends Senders {
  db: Db;
  clock: Clock;
  audit: AuditService;
  allowPrivateReceivers: boolean;
  notReportingAfterHours: number;
  webhookTimeoutMs: number;
  /** Run by each sweep after the not-reporting transitions (entitlements/license-alerts.ts). */
  licenseAlerts?: () => Promise<number>;
}

const channelType = (type: string): TChannelType =>
  type === 'email' || type === 'slack' || type === 'teams' ? type : 'webhook';

/** A channel's URL as it is shown after creation: a Slack or Teams URL is the credential itself. */
const shownUrl = (channel: { type: string; url: string }) =>
  isChatChannel(channelType(channel.type)) ? maskChatUrl(channel.url) : maskUrl(channel.url);

/** A channel as lists show it: its URL masked, never the secret. */
const toChannel = (
  row: Pick<channels.ChannelRow, 'id' | 'url' | 'address' | 'events' | 'createdAt' | 'confirmedAt'> & { type: string },
  lastDelivery: TNotificationChannel['lastDelivery'],
): TNotificationChannel => ({
  id: row.id,
  type: channelType(row.type),
  ...(row.url !== null && { url: shownUrl({ type: row.type, url: row.url }) }),
  ...(row.address !== null && { address: row.address }),
  events: row.events,
  createdAt: row.createdAt.toISOString(),
  confirmed: row.confirmedAt !== null,
  lastDelivery,
});

const invalidField = (path: string, message: string) =>
  new AppError('invalid_request', `${path}: ${message}`, { details: [{ path: [path], message }] });

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const labelOf = (channel: { type: string; url: string | null; address: string | null }) =>
  channel.url !== null ? shownUrl({ type: channel.type, url: channel.url }) : (channel.address ?? '');

/** Channels of a customer (admins, or API clients acting for it), their deliveries log, and sending. */
export function createNotificationService(deps: Deps) {
  const { db, clock, audit, email } = deps;
  const delivery = createDelivery({ ...deps, timeoutMs: deps.webhookTimeoutMs });
  const outbox = createOutbox();
  const sweeper = createSweep({ ...deps, outbox });

  async function list(manager: Principal): Promise<TNotificationChannel[]> {
    const rows = await channels.listChannels(db, manager.customerId);
    return rows.map((row) =>
      toChannel(row, row.lastAt && row.lastStatus ? { at: row.lastAt.toISOString(), status: row.lastStatus } : null),
    );
  }

  async function create(
    manager: Principal,
    input: TCreateNotificationChannelRequest,
  ): Promise<TCreatedNotificationChannel> {
    const request = ZCreateNotificationChannelRequest.parse(input);
    if (request.type === 'email' && !email) throw new AppError('email_not_configured');
    if (request.type !== 'email') {
      if (deps.publicUrl.startsWith('https://') && !request.url.startsWith('https://'))
        throw invalidField('url', 'must be an https URL (this service runs on https)');
      if (!deps.allowPrivateReceivers && isPrivateUrl(request.url))
        throw invalidField('url', 'must not be a loopback or private address');
    }
    const secret = request.type === 'webhook' ? `whsec_${randomBytes(32).toString('base64')}` : undefined;
    const now = clock.now();
    const row = await db.$transaction(async (tx) => {
      const created = await channels.createChannel(tx, {
        customerId: manager.customerId,
        type: request.type,
        ...(request.type === 'email' ? { address: request.address } : { url: request.url, secret }),
        events: request.events,
        createdAt: now,
        confirmedAt: request.type === 'email' ? null : now,
      });
      await audit.record(tx, {
        customerId: manager.customerId,
        actor: actorOf(manager),
        action: 'notification_channel.created',
        target: { type: 'notification_channel', id: created.id, label: labelOf(created) },
        details: { type: channelType(created.type), events: created.events },
      });
      // An email address hears it once confirmed (it gets no events before).
      if (created.confirmedAt) await announceCurrentState(tx, outbox, created, now);
      return created;
    });
    if (row.type === 'email') await sendConfirmation(manager, row.id, row.address!);
    // A webhook's full URL this once, as the admin typed it; lists show it masked. A Slack or
    // Teams URL is masked even here: the admin has it, and it is the credential.
    const wholeUrl = row.url !== null && request.type === 'webhook';
    return { ...toChannel(row, null), ...(wholeUrl && { url: row.url! }), ...(secret && { secret }) };
  }

  /**
   * A new single-use link to the address (the previous one stops working). Sent outside any
   * transaction; a mail that fails is sent again with resendConfirmation.
   */
  async function sendConfirmation(manager: Principal, id: string, address: string): Promise<boolean> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(clock.now().getTime() + CONFIRM_LINK_HOURS * HOUR);
    await channels.setConfirmToken(db, id, hashToken(token), expiresAt);
    const link = `${deps.publicUrl}${CONSOLE_PATHS.notificationsConfirm}#channel=${id}&token=${token}`;
    const mail = confirmationMail({ customerName: manager.customerName, link, expiresAt });
    try {
      await email!.send({ to: address, ...mail }, AbortSignal.timeout(deps.webhookTimeoutMs));
      return true;
    } catch {
      return false;
    }
  }

  /** 202 when a new link went out; 429 within 12 minutes of the last one; nothing to do once confirmed. */
  async function resendConfirmation(manager: Principal, id: string): Promise<void> {
    const channel = await channels.findChannel(db, manager.customerId, id);
    if (!channel) throw notFound();
    if (channel.confirmedAt || channel.type !== 'email' || !email) return;
    const spacingMs = HOUR / TEST_SENDS_PER_HOUR;
    const issuedAt = channel.confirmExpiresAt ? channel.confirmExpiresAt.getTime() - CONFIRM_LINK_HOURS * HOUR : 0;
    const waitMs = issuedAt + spacingMs - clock.now().getTime();
    if (waitMs > 0) throw rateLimited(waitMs, 'A confirmation mail was sent a moment ago.');
    await sendConfirmation(manager, id, channel.address!);
  }

  /** The link's token confirms the address: once, before it expires, for this customer's channel. */
  async function confirm(manager: Principal, id: string, token: string): Promise<void> {
    await db.$transaction(async (tx) => {
      const channel = await channels.findChannel(tx, manager.customerId, id);
      if (!channel) throw notFound();
      const now = clock.now();
      if (!(await channels.confirmWithToken(tx, manager.customerId, id, hashToken(token), now)))
        throw invalidField('token', 'this link is not valid: it was used already, replaced by a newer one, or expired');
      // The token works once, so this runs once per channel.
      await announceCurrentState(tx, outbox, channel, now);
      await audit.record(tx, {
        customerId: manager.customerId,
        actor: actorOf(manager),
        action: 'notification_channel.confirmed',
        target: { type: 'notification_channel', id, label: labelOf(channel) },
      });
    });
  }

  /** Its deliveries go with it (ON DELETE CASCADE): pending ones are dropped. */
  async function remove(manager: Principal, id: string): Promise<void> {
    await db.$transaction(async (tx) => {
      const channel = await channels.findChannel(tx, manager.customerId, id);
      if (!channel) throw notFound();
      await channels.deleteChannel(tx, id);
      await audit.record(tx, {
        customerId: manager.customerId,
        actor: actorOf(manager),
        action: 'notification_channel.deleted',
        target: { type: 'notification_channel', id, label: labelOf(channel) },
      });
    });
  }

  /** A `test` event to one confirmed channel, at most TEST_SENDS_PER_HOUR an hour, audited. */
  async function sendTest(manager: Principal, id: string): Promise<{ eventId: string }> {
    return db.$transaction(async (tx: Tx) => {
      // Locked: tests sent at once on one channel are counted one after another.
      if (!(await channels.lockChannel(tx, manager.customerId, id))) throw notFound();
      const channel = (await channels.findChannel(tx, manager.customerId, id))!;
      if (!channel.confirmedAt) throw new AppError('channel_not_confirmed');
      const now = clock.now();
      const since = new Date(now.getTime() - HOUR);
      if ((await deliveries.countTestsSince(tx, id, since)) >= TEST_SENDS_PER_HOUR) {
        const oldest = await deliveries.oldestTestSince(tx, id, since);
        throw rateLimited(
          (oldest?.getTime() ?? now.getTime()) + HOUR - now.getTime(),
          'Five tests an hour per channel.',
        );
      }
      const eventId = (await outbox.enqueue(tx, {
        customerId: manager.customerId,
        type: 'test',
        at: now,
        channelId: id,
        data: { message: 'A test from the Notifications page.' },
      }))!;
      await audit.record(tx, {
        customerId: manager.customerId,
        actor: actorOf(manager),
        action: 'notification_channel.test_sent',
        target: { type: 'notification_channel', id, label: labelOf(channel) },
        details: { eventId },
      });
      return { eventId };
    });
  }

  async function deliveriesOf(
    manager: Principal,
    id: string,
    query: { cursor?: string | undefined; limit: number },
  ): Promise<Page<TNotificationDelivery>> {
    const channel = await channels.findChannel(db, manager.customerId, id);
    if (!channel) throw notFound();
    return keysetPage({
      cursor: query.cursor,
      limit: query.limit,
      kinds: ['timestamp', 'uuid'],
      fetch: (after, take) => deliveries.listDeliveries(db, id, after, take),
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
        muteId: row.muteId,
      }),
    });
  }

  /** Housekeeping: the log keeps KEEP_EVENTS_DAYS of events. */
  function purgeOld(): Promise<number> {
    return deliveries.purgeEvents(db, new Date(clock.now().getTime() - KEEP_EVENTS_DAYS * 24 * HOUR));
  }

  return {
    list,
    create,
    confirm,
    resendConfirmation,
    remove,
    sendTest,
    deliveries: deliveriesOf,
    sweep: sweeper.sweep,
    deliverDue: delivery.deliverDue,
    purgeOld,
    close: delivery.close,
  };
}

function rateLimited(waitMs: number, message: string) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError('rate_limited', `${message} Try again in ${Math.ceil(seconds / 60)} minute(s).`, {}, seconds);
}

export type NotificationService = ReturnType<typeof createNotificationService>;
