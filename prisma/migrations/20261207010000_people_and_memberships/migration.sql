-- One email is one person with a membership (an "admins" row) per customer. The admins table
-- keeps its ids, which API clients, the audit log and sessions refer to; the email and the
-- password move to "people". Until now emails were unique across customers, so each admin
-- becomes a person of their own.
CREATE TABLE "people" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT,
    "password_temporary" BOOLEAN NOT NULL DEFAULT false,
    "last_customer_id" UUID,
    "totp_secret" TEXT,
    "totp_pending_secret" TEXT,
    "totp_last_step" BIGINT,
    "totp_enabled_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "people_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "people_email_key" ON "people"("email");
CREATE INDEX "people_last_customer_id_idx" ON "people"("last_customer_id");
ALTER TABLE "people" ADD CONSTRAINT "people_last_customer_id_fkey" FOREIGN KEY ("last_customer_id") REFERENCES "customers"("id") ON DELETE SET NULL ON UPDATE CASCADE;

INSERT INTO "people" ("id", "email", "password_hash", "last_customer_id", "created_at")
  SELECT gen_random_uuid(), "email", "password_hash", "customer_id", "created_at" FROM "admins";

ALTER TABLE "admins" ADD COLUMN "person_id" UUID;
UPDATE "admins" a SET "person_id" = p."id" FROM "people" p WHERE p."email" = a."email";
ALTER TABLE "admins" ALTER COLUMN "person_id" SET NOT NULL;
DROP INDEX "admins_email_key";
ALTER TABLE "admins" DROP COLUMN "email";
ALTER TABLE "admins" DROP COLUMN "password_hash";
ALTER TABLE "admins" ADD COLUMN "status" TEXT NOT NULL DEFAULT 'active';
ALTER TABLE "admins" ADD CONSTRAINT "admins_status_check" CHECK ("status" IN ('invited', 'active'));
ALTER TABLE "admins" ADD COLUMN "break_glass" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "admins" ADD COLUMN "last_sign_in_at" TIMESTAMPTZ(3);
-- The last sign-in was read from the audit log until now; it is kept on the membership from here.
UPDATE "admins" a SET "last_sign_in_at" = (
  SELECT max(e."at") FROM "audit_events" e
  WHERE e."customer_id" = a."customer_id" AND e."action" = 'session.signed_in' AND e."actor_id" = a."id");
-- The unique index leads with customer_id: it serves the per-customer look-ups the old index did.
DROP INDEX "admins_customer_id_idx";
CREATE UNIQUE INDEX "admins_customer_id_person_id_key" ON "admins"("customer_id", "person_id");
CREATE INDEX "admins_person_id_idx" ON "admins"("person_id");
ALTER TABLE "admins" ADD CONSTRAINT "admins_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Sessions belong to the person and act as one membership (the current customer).
ALTER TABLE "sessions" ADD COLUMN "person_id" UUID;
UPDATE "sessions" s SET "person_id" = a."person_id" FROM "admins" a WHERE a."id" = s."admin_id";
ALTER TABLE "sessions" ALTER COLUMN "person_id" SET NOT NULL;
ALTER TABLE "sessions" ADD COLUMN "method" TEXT NOT NULL DEFAULT 'password';
ALTER TABLE "sessions" ADD COLUMN "source_address" TEXT;
ALTER TABLE "sessions" ADD COLUMN "user_agent" TEXT;
ALTER TABLE "sessions" ADD COLUMN "mfa_pending" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "sessions" ADD COLUMN "mfa_failures" INTEGER NOT NULL DEFAULT 0;
CREATE INDEX "sessions_person_id_idx" ON "sessions"("person_id");
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "recovery_codes" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "recovery_codes_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "recovery_codes_person_id_idx" ON "recovery_codes"("person_id");
ALTER TABLE "recovery_codes" ADD CONSTRAINT "recovery_codes_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "invitations" (
    "id" UUID NOT NULL,
    "admin_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "killed_at" TIMESTAMPTZ(3),
    CONSTRAINT "invitations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "invitations_token_hash_key" ON "invitations"("token_hash");
CREATE INDEX "invitations_admin_id_idx" ON "invitations"("admin_id");
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_admin_id_fkey" FOREIGN KEY ("admin_id") REFERENCES "admins"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "password_resets" (
    "id" UUID NOT NULL,
    "person_id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "killed_at" TIMESTAMPTZ(3),
    CONSTRAINT "password_resets_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "password_resets_token_hash_key" ON "password_resets"("token_hash");
CREATE INDEX "password_resets_person_id_idx" ON "password_resets"("person_id");
ALTER TABLE "password_resets" ADD CONSTRAINT "password_resets_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A customer may require two-step verification of every admin signing in with a password.
ALTER TABLE "customers" ADD COLUMN "require_mfa" BOOLEAN NOT NULL DEFAULT false;
