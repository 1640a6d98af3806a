-- System mails (an invitation, a password reset) go through the notifications outbox like
-- events, but to one person's address rather than to a customer's channel: their deliveries
-- have no channel. Only the outbox writes such rows (docs/notifications.md, "System mails").
ALTER TABLE "notification_deliveries" ALTER COLUMN "channel_id" DROP NOT NULL;
