import { z } from 'zod';
import { ZEmail, ZTimestamp, ZUuid } from './common.ts';

/** What a channel may subscribe to (docs/protocol.md, Notifications). `test` is sent on request, to one channel. */
export const NOTIFICATION_EVENTS = [
  'server.not_reporting',
  'server.reporting_again',
  'registration.created',
  'registration.removed',
  'usage.overdraft',
  'usage.deleted',
  'server.removal_scheduled',
  'licenses.expiring',
  'licenses.expired',
  'licenses.insufficient',
  'licenses.sufficient',
  'audit.event',
  'registration.pending_approval',
  'server.duplicate_detected',
] as const;
export type TNotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
export type TNotificationEventType = TNotificationEvent | 'test';

export const WEBHOOK_URL_MAX = 2048;

const ZEvents = z
  .array(z.enum(NOTIFICATION_EVENTS, 'must be one of ' + NOTIFICATION_EVENTS.join(', ')))
  .min(1, 'choose at least one event')
  .max(NOTIFICATION_EVENTS.length)
  .transform((events) => [...new Set(events)]);

export const ZWebhookUrl = z
  .string()
  .max(WEBHOOK_URL_MAX, `must be at most ${WEBHOOK_URL_MAX} characters`)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));

export const ZCreateNotificationChannelRequest = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webhook'), url: ZWebhookUrl, events: ZEvents }),
  z.strictObject({ type: z.literal('email'), address: ZEmail, events: ZEvents }),
  z.strictObject({ type: z.literal('slack'), url: ZWebhookUrl, events: ZEvents }),
  z.strictObject({ type: z.literal('teams'), url: ZWebhookUrl, events: ZEvents }),
]);
export type TCreateNotificationChannelRequest = z.input<typeof ZCreateNotificationChannelRequest>;

/** `muted`: a maintenance window covered the event; it is never sent. */
export const ZDeliveryStatus = z.enum(['pending', 'delivered', 'failed', 'muted']);
export type TDeliveryStatus = z.infer<typeof ZDeliveryStatus>;

/** Where a channel sends: a signed webhook, a Slack or Teams incoming webhook, or mail. */
export const CHANNEL_TYPES = ['webhook', 'email', 'slack', 'teams'] as const;
export type TChannelType = (typeof CHANNEL_TYPES)[number];
/** Slack and Teams URLs are the credential: never shown whole after creation. */
export const isChatChannel = (type: TChannelType): type is 'slack' | 'teams' => type === 'slack' || type === 'teams';

export const ZNotificationChannel = z.object({
  id: ZUuid,
  type: z.enum(CHANNEL_TYPES),
  /**
   * A webhook's is masked in lists (scheme, host, plain path segments) and whole in the answer
   * that added it; a Slack or Teams URL is always masked (`https://hooks.slack.com/…Xy7Q`).
   */
  url: z.string().optional(),
  address: z.string().optional(),
  events: z.array(z.string()),
  createdAt: ZTimestamp,
  /** False for an email address until someone at it followed the confirmation link: it gets no events until then. */
  confirmed: z.boolean(),
  lastDelivery: z.object({ at: ZTimestamp, status: ZDeliveryStatus }).nullable(),
});
export type TNotificationChannel = z.infer<typeof ZNotificationChannel>;

export const ZNotificationChannelList = z.object({ items: z.array(ZNotificationChannel) });
export type TNotificationChannelList = z.infer<typeof ZNotificationChannelList>;

/** A webhook's signing secret is in this answer only. */
export const ZCreatedNotificationChannel = ZNotificationChannel.extend({ secret: z.string().optional() });
export type TCreatedNotificationChannel = z.infer<typeof ZCreatedNotificationChannel>;

export const ZNotificationDelivery = z.object({
  id: ZUuid,
  eventId: ZUuid,
  type: z.string(),
  attempt: z.number().int(),
  status: ZDeliveryStatus,
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  at: ZTimestamp,
  nextAttemptAt: ZTimestamp.nullable(),
  /** The maintenance window that muted it (status `muted`); null otherwise. */
  muteId: ZUuid.nullable(),
});
export type TNotificationDelivery = z.infer<typeof ZNotificationDelivery>;

export const ZListDeliveriesQuery = z.strictObject({
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type TListDeliveriesQuery = z.input<typeof ZListDeliveriesQuery>;

export const ZNotificationDeliveryList = z.object({
  items: z.array(ZNotificationDelivery),
  nextCursor: z.string().nullable(),
});
export type TNotificationDeliveryList = z.infer<typeof ZNotificationDeliveryList>;

export const ZTestAccepted = z.object({ eventId: ZUuid });

/** The token of a confirmation link (`#channel=…&token=…`): 32 random bytes in base64url. */
export const ZConfirmNotificationChannelRequest = z.strictObject({
  token: z
    .string()
    .min(1, 'is required')
    .max(200, 'must be at most 200 characters')
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a confirmation token'),
});
export type TConfirmNotificationChannelRequest = z.infer<typeof ZConfirmNotificationChannelRequest>;
