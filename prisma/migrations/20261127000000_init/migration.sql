-- Initial schema: customers, admins, sessions, registration codes, license servers,
-- registrations, audit events, attempt counters and generated secrets.

CREATE TYPE "code_status" AS ENUM ('pending', 'registered', 'denied');

CREATE TABLE "customers" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "admins" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "admins_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "admins_email_key" ON "admins"("email");
CREATE INDEX "admins_customer_id_idx" ON "admins"("customer_id");

CREATE TABLE "sessions" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "admin_id" UUID NOT NULL,
    "csrf_token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "sessions_token_hash_key" ON "sessions"("token_hash");
CREATE INDEX "sessions_admin_id_idx" ON "sessions"("admin_id");
CREATE INDEX "sessions_expires_at_idx" ON "sessions"("expires_at");

CREATE TABLE "registration_codes" (
    "id" UUID NOT NULL,
    "code_hash" TEXT NOT NULL,
    "poll_token_hash" TEXT NOT NULL,
    "status" "code_status" NOT NULL DEFAULT 'pending',
    "product" TEXT NOT NULL,
    "product_version" TEXT NOT NULL,
    "instance_id" UUID NOT NULL,
    "server_name" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "os" TEXT,
    "requested_from" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "interval" INTEGER NOT NULL,
    "last_polled_at" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "registration_id" UUID,
    "delivered_at" TIMESTAMPTZ(3),
    CONSTRAINT "registration_codes_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "registration_codes_code_hash_key" ON "registration_codes"("code_hash");
CREATE UNIQUE INDEX "registration_codes_poll_token_hash_key" ON "registration_codes"("poll_token_hash");
CREATE UNIQUE INDEX "registration_codes_registration_id_key" ON "registration_codes"("registration_id");
CREATE INDEX "registration_codes_expires_at_idx" ON "registration_codes"("expires_at");

CREATE TABLE "license_servers" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "instance_id" UUID NOT NULL,
    "server_name" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_upload_at" TIMESTAMPTZ(3),
    CONSTRAINT "license_servers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "license_servers_customer_id_instance_id_key" ON "license_servers"("customer_id", "instance_id");
CREATE INDEX "license_servers_customer_id_server_name_id_idx" ON "license_servers"("customer_id", "server_name", "id");

CREATE TABLE "registrations" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "license_server_id" UUID NOT NULL,
    "instance_id" UUID NOT NULL,
    "product" TEXT NOT NULL,
    "product_version" TEXT NOT NULL,
    "server_name" TEXT NOT NULL,
    "hostname" TEXT NOT NULL,
    "os" TEXT,
    "registered_at" TIMESTAMPTZ(3) NOT NULL,
    "registered_by_id" UUID,
    "registered_by_email" TEXT NOT NULL,
    "credential_hash" TEXT,
    "last_contact_at" TIMESTAMPTZ(3),
    "removed_at" TIMESTAMPTZ(3),
    "removed_reason" TEXT,
    CONSTRAINT "registrations_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "registrations_credential_hash_key" ON "registrations"("credential_hash");
CREATE INDEX "registrations_customer_id_server_name_id_idx" ON "registrations"("customer_id", "server_name", "id");
CREATE INDEX "registrations_customer_id_registered_at_id_idx" ON "registrations"("customer_id", "registered_at", "id");
CREATE INDEX "registrations_customer_id_last_contact_at_id_idx" ON "registrations"("customer_id", "last_contact_at", "id");
CREATE INDEX "registrations_license_server_id_idx" ON "registrations"("license_server_id");
-- SQL only (prisma/SQL-ONLY.md): at most one active registration per server and customer.
CREATE UNIQUE INDEX "registrations_one_active_per_instance" ON "registrations"("customer_id", "instance_id") WHERE "removed_at" IS NULL;

CREATE TABLE "audit_events" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_type" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_label" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_type" TEXT NOT NULL,
    "target_id" UUID,
    "target_label" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "audit_events_customer_id_at_id_idx" ON "audit_events"("customer_id", "at", "id");

CREATE TABLE "attempt_failures" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "attempt_failures_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "attempt_failures_key_at_idx" ON "attempt_failures"("key", "at");

CREATE TABLE "app_secrets" (
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_secrets_pkey" PRIMARY KEY ("name")
);

ALTER TABLE "admins" ADD CONSTRAINT "admins_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_admin_id_fkey" FOREIGN KEY ("admin_id") REFERENCES "admins"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "registration_codes" ADD CONSTRAINT "registration_codes_registration_id_fkey" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE SET NULL ON UPDATE CASCADE;
ALTER TABLE "license_servers" ADD CONSTRAINT "license_servers_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "registrations" ADD CONSTRAINT "registrations_license_server_id_fkey" FOREIGN KEY ("license_server_id") REFERENCES "license_servers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
