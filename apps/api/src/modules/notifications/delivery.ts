import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import * as deliveries from './deliveries.repository.ts';
import { plainError } from './delivery-errors.ts';
import type { EmailSender } from './email-sender.ts';
import { slackBody, teamsBody } from './chat-messages.ts';
import { emailOf, webhookBody } from './event-messages.ts';
import type { WebhookSender, WebhookResult } from './webhook-sender.ts';

/** Delays before the retries of a failed attempt (docs/notifications.md): then the delivery is failed. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000];
/** Sends in flight on one instance… */
const MAX_SENDING = 16;
/** …and per customer, so receivers that hang hold up only their own customer's events. */
const MAX_SENDING_PER_CUSTOMER = 4;

/** How notifications leave: the two senders, and the console's address that messages link to. */
export interface Senders {
  webhooks: WebhookSender;
  email: EmailSender | null;
  publicUrl: string;
  /**
   * Writes a system mail at the moment it is sent (identity-mail), or says why it must not go
   * out any more (its link was used, renewed or expired while it waited). Without it, system
   * mails fail.
   */
  systemMails?: { render(mail: deliveries.SystemMailDelivery): Promise<Mail | { notSent: string }> };
}

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** An attempt's outcome; `final`: no retry, whatever happened. */
type Outcome = WebhookResult & { final?: boolean };

interface Deps extends Senders {
  db: Db;
  clock: Clock;
  /** Every attempt, webhook or mail, is given up after this. */
  timeoutMs: number;
}

/**
 * Sends due deliveries: claims them (fairly per customer, within the bounds above), sends each
 * with its own deadline and records the attempt. A hung receiver holds one slot of its own
 * customer until its deadline; everything else goes on.
 */
export function createDelivery({ db, clock, webhooks, email, publicUrl, systemMails, timeoutMs }: Deps) {
  const inFlight = new Map<string, number>();
  const sending = new Set<Promise<void>>();
  const closing = new AbortController();
  let claims: Promise<unknown> = Promise.resolve();

  const count = (customerId: string, by: number) => {
    const n = (inFlight.get(customerId) ?? 0) + by;
    if (n > 0) inFlight.set(customerId, n);
    else inFlight.delete(customerId);
  };

  /**
   * Claims what is due and starts sending it; returns how many it started. With `wait` (the
   * default) it returns once those are sent and recorded; the loop passes `wait: false` and
   * claims again while they are in flight. Claims of one instance take turns.
   */
  async function deliverDue({ wait = true }: { wait?: boolean } = {}): Promise<number> {
    const turn = claims.then(claimAndStart);
    claims = turn.catch(() => undefined);
    const started = await turn;
    if (wait) await Promise.all(started);
    return started.length;
  }

  async function claimAndStart(): Promise<Promise<void>[]> {
    const free = MAX_SENDING - sending.size;
    if (free <= 0 || closing.signal.aborted) return [];
    const now = clock.now();
    const claimed = await deliveries.claimDueDeliveries(db, {
      now,
      // The lease outlasts the attempt's deadline, so no other instance takes a delivery in flight.
      leaseUntil: new Date(now.getTime() + timeoutMs + 60_000),
      limit: free,
      perCustomer: MAX_SENDING_PER_CUSTOMER,
      inFlight,
    });
    return claimed.map((delivery) => {
      count(delivery.customerId, 1);
      // A failure to record (the database away) leaves the delivery leased: it is due again when the lease ends.
      const done: Promise<void> = attempt(delivery)
        .catch(() => undefined)
        .finally(() => {
          count(delivery.customerId, -1);
          sending.delete(done);
        });
      sending.add(done);
      return done;
    });
  }

  async function attempt(delivery: deliveries.ClaimedDelivery): Promise<void> {
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), closing.signal]);
    const result = await send(delivery, signal);
    // Stopped mid-send: not an answer from the receiver. The lease ends and it is sent again.
    if (!result.ok && closing.signal.aborted) return;
    const at = clock.now();
    const delay = RETRY_DELAYS_MS[delivery.attempt - 1];
    const retryAt = !result.ok && !result.final && delay !== undefined ? new Date(at.getTime() + delay) : null;
    await deliveries.recordAttempt(db, delivery.id, {
      status: result.ok ? 'delivered' : 'failed',
      responseStatus: result.responseStatus,
      error: result.error,
      at,
      retryAt,
    });
  }

  async function send(delivery: deliveries.ClaimedDelivery, signal: AbortSignal): Promise<Outcome> {
    if (delivery.channelType === null) return sendSystemMail(delivery, signal);
    if (delivery.channelType === 'webhook') {
      const args = {
        url: delivery.url!,
        secret: delivery.secret!,
        id: delivery.eventId,
        timestamp: Math.floor(clock.now().getTime() / 1000),
        body: webhookBody(delivery),
      };
      return webhooks.send(args, signal);
    }
    if (delivery.channelType === 'slack' || delivery.channelType === 'teams') {
      const body = delivery.channelType === 'slack' ? slackBody(delivery, publicUrl) : teamsBody(delivery, publicUrl);
      return webhooks.sendUnsigned({ url: delivery.url!, body }, signal);
    }
    return sendMail({ to: delivery.address!, ...emailOf(delivery, publicUrl) }, signal);
  }

  async function sendMail(mail: Mail, signal: AbortSignal): Promise<Outcome> {
    if (!email) return { ok: false, responseStatus: null, error: 'this server sends no email (SMTP_URL is not set)' };
    try {
      await email.send(mail, signal);
      return { ok: true, responseStatus: null, error: null };
    } catch (error) {
      return { ok: false, responseStatus: null, error: plainError(error) };
    }
  }

  /** Written when sent, so a link that died while the mail waited is never mailed. */
  async function sendSystemMail(delivery: deliveries.SystemMailDelivery, signal: AbortSignal): Promise<Outcome> {
    const mail = systemMails ? await systemMails.render(delivery) : { notSent: 'no system mails on this server' };
    if ('notSent' in mail) return { ok: false, responseStatus: null, error: `not sent: ${mail.notSent}`, final: true };
    return sendMail(mail, signal);
  }

  /** Stops claiming, gives up the sends in flight (they are sent again after their lease) and closes the senders. */
  async function close(): Promise<void> {
    closing.abort();
    await claims;
    await Promise.allSettled([...sending]);
    await webhooks.close();
    email?.close();
  }

  return { deliverDue, close };
}
