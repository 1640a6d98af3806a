-- Email channels (docs/notifications.md): an address gets events only once someone at it
-- followed the confirmation link. Webhooks are confirmed when added; channels that existed
-- before this change keep working, as they did.
ALTER TABLE "notification_channels" ADD COLUMN "confirmed_at" TIMESTAMPTZ(3);
ALTER TABLE "notification_channels" ADD COLUMN "confirm_token_hash" TEXT;
ALTER TABLE "notification_channels" ADD COLUMN "confirm_expires_at" TIMESTAMPTZ(3);
UPDATE "notification_channels" SET "confirmed_at" = "created_at";

-- Webhook URLs often carry their token in the path or query: the audit log keeps only the
-- scheme and the host of those recorded before labels were masked.
UPDATE "audit_events"
SET "target_label" = regexp_replace(substring("target_label" from '^https?://[^/?#]+'), '//[^/@]*@', '//') || '/…'
WHERE "target_type" = 'notification_channel' AND "target_label" ~ '^https?://[^/?#]+[/?#].';
