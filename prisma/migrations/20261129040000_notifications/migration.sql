-- Notifications (docs/notifications.md): channels per customer, an outbox of events written in
-- the transaction of the change, and one delivery row per attempt (the deliveries log).

CREATE TABLE "notification_channels" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "url" TEXT,
    "address" TEXT,
    "events" TEXT[],
    "secret" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_channels_customer_id_created_at_idx" ON "notification_channels"("customer_id", "created_at");
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The outbox. No foreign key to customers: an event is a fact that happened; its deliveries go
-- with their channel, which goes with the customer.
CREATE TABLE "notification_events" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "notification_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_events_customer_id_created_at_idx" ON "notification_events"("customer_id", "created_at");

CREATE TABLE "notification_deliveries" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "response_status" INTEGER,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3),
    "next_attempt_at" TIMESTAMPTZ(3),
    CONSTRAINT "notification_deliveries_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_deliveries_channel_id_at_id_idx" ON "notification_deliveries"("channel_id", "at", "id");
CREATE INDEX "notification_deliveries_status_due_at_idx" ON "notification_deliveries"("status", "due_at");
CREATE INDEX "notification_deliveries_event_id_idx" ON "notification_deliveries"("event_id");
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "notification_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_deliveries" ADD CONSTRAINT "notification_deliveries_channel_id_fkey" FOREIGN KEY ("channel_id") REFERENCES "notification_channels"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What the sweep last announced per registration: the conditional upsert on this row is what
-- makes one event per transition, however many instances sweep at once.
CREATE TABLE "notification_server_states" (
    "registration_id" UUID NOT NULL,
    "not_reporting" BOOLEAN NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "notification_server_states_pkey" PRIMARY KEY ("registration_id")
);
ALTER TABLE "notification_server_states" ADD CONSTRAINT "notification_server_states_registration_id_fkey" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One usage.overdraft per product key and day: the primary key is the "once".
CREATE TABLE "usage_overdraft_notices" (
    "license_server_id" UUID NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "day" DATE NOT NULL,
    CONSTRAINT "usage_overdraft_notices_pkey" PRIMARY KEY ("license_server_id", "product_code", "edition", "license_model", "day")
);
ALTER TABLE "usage_overdraft_notices" ADD CONSTRAINT "usage_overdraft_notices_license_server_id_fkey" FOREIGN KEY ("license_server_id") REFERENCES "license_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
