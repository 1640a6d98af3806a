-- Dates per product key in usage uploads (docs/protocol.md, "Usage upload"): the first day the
-- licenses no longer work, and the first day no longer covered by maintenance. Null: not known.
ALTER TABLE "usage_records" ADD COLUMN "expires_at" DATE;
ALTER TABLE "usage_records" ADD COLUMN "maintenance_ends_at" DATE;

-- One licenses.expiring per server, key, field, date and threshold, one licenses.expired
-- (threshold 0) per server, key, field and date: the primary key is the "once".
CREATE TABLE "license_expiry_notices" (
    "customer_id" UUID NOT NULL,
    "license_server_id" UUID NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "threshold" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "license_expiry_notices_pkey" PRIMARY KEY ("customer_id", "license_server_id", "product_code", "edition", "license_model", "field", "date", "threshold")
);
ALTER TABLE "license_expiry_notices" ADD CONSTRAINT "license_expiry_notices_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- What was last announced for a server and key: insufficient or sufficient again. No row:
-- sufficient (nothing announced).
CREATE TABLE "license_shortage_states" (
    "customer_id" UUID NOT NULL,
    "license_server_id" UUID NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "insufficient" BOOLEAN NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "license_shortage_states_pkey" PRIMARY KEY ("customer_id", "license_server_id", "product_code", "edition", "license_model")
);
ALTER TABLE "license_shortage_states" ADD CONSTRAINT "license_shortage_states_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Maintenance windows: events of the scope written while one is on are kept but never sent.
-- The registration and the admin are kept by id without a foreign key: a window outlives
-- neither's removal in a way that matters (the creator's email is kept as it was).
CREATE TABLE "notification_mutes" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "registration_id" UUID,
    "from_at" TIMESTAMPTZ(3) NOT NULL,
    "to_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_by_email" TEXT NOT NULL,
    CONSTRAINT "notification_mutes_pkey" PRIMARY KEY ("customer_id", "id")
);
CREATE INDEX "notification_mutes_customer_id_to_at_idx" ON "notification_mutes"("customer_id", "to_at");
ALTER TABLE "notification_mutes" ADD CONSTRAINT "notification_mutes_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A muted delivery names its window (which may since have been deleted: no foreign key).
ALTER TABLE "notification_deliveries" ADD COLUMN "mute_id" UUID;
