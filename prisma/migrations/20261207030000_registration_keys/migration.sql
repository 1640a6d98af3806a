-- Fleet enrollment (docs/decisions/010-registration-keys.md): an admin makes a registration key;
-- a License Server presents it once and is registered, at once or after an admin approves.

CREATE TABLE "registration_keys" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "description" TEXT NOT NULL,
    -- SHA-256 of the secret (lsreg_…), shown once at creation.
    "secret_hash" TEXT NOT NULL,
    "max_uses" INTEGER,
    "uses" INTEGER NOT NULL DEFAULT 0,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "approval" TEXT NOT NULL,
    "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    -- No foreign key: removing the admin revokes the key (reason creator_removed) and keeps it listed.
    "created_by_admin_id" UUID,
    "created_by_email" TEXT NOT NULL,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_reason" TEXT,

    CONSTRAINT "registration_keys_pkey" PRIMARY KEY ("id")
);

-- A use is counted by one conditional UPDATE (uses < max_uses); the check is the last word.
ALTER TABLE "registration_keys" ADD CONSTRAINT "registration_keys_uses_check"
  CHECK ("uses" >= 0 AND ("max_uses" IS NULL OR "uses" <= "max_uses"));
ALTER TABLE "registration_keys" ADD CONSTRAINT "registration_keys_approval_check"
  CHECK ("approval" IN ('automatic', 'manual'));

-- Not unique: 256 random bits never collide, and a plain index keeps the table Citus-ready.
CREATE INDEX "registration_keys_secret_hash_idx" ON "registration_keys"("secret_hash");
CREATE INDEX "registration_keys_customer_id_created_at_id_idx" ON "registration_keys"("customer_id", "created_at", "id");
CREATE INDEX "registration_keys_created_by_admin_id_idx" ON "registration_keys"("created_by_admin_id");

ALTER TABLE "registration_keys" ADD CONSTRAINT "registration_keys_customer_id_fkey"
  FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The key a registration was made with (null: by code or request file). No foreign key: keys
-- are never deleted but with their customer, and the join is by (customer_id, id).
ALTER TABLE "registrations" ADD COLUMN "registration_key_id" UUID;
-- Waiting for an admin's approval (a manual key): no credential, not a license server yet.
ALTER TABLE "registrations" ADD COLUMN "pending_approval" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "registrations" ADD COLUMN "tags" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];

-- A pending request must not replace a working registration: the one-active rule leaves
-- pending rows out, and a second rule keeps one pending request per server.
DROP INDEX "registrations_one_active_per_instance";
CREATE UNIQUE INDEX "registrations_one_active_per_instance" ON "registrations"("customer_id", "instance_id")
  WHERE "removed_at" IS NULL AND NOT "pending_approval";
CREATE UNIQUE INDEX "registrations_one_pending_per_instance" ON "registrations"("customer_id", "instance_id")
  WHERE "removed_at" IS NULL AND "pending_approval";

-- The tag filter on the list (contains one tag) over listed rows.
CREATE INDEX "registrations_listed_tags" ON "registrations" USING gin ("tags") WHERE "removed_at" IS NULL;
