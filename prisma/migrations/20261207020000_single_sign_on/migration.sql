-- Single sign-on with OpenID Connect, per customer (docs/protocol.md, "Single sign-on").
-- The client secret is stored sealed (AES-256-GCM under a key derived from the app's secrets),
-- never in the clear.
CREATE TABLE "sso_settings" (
    "customer_id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "client_id" TEXT NOT NULL,
    "client_secret_sealed" TEXT NOT NULL,
    "groups_claim" TEXT NOT NULL DEFAULT 'groups',
    "full_admin_groups" TEXT[] NOT NULL,
    "read_only_groups" TEXT[] NOT NULL,
    "just_in_time" BOOLEAN NOT NULL DEFAULT false,
    "enforced" BOOLEAN NOT NULL DEFAULT false,
    "tested_at" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "sso_settings_pkey" PRIMARY KEY ("customer_id")
);
ALTER TABLE "sso_settings" ADD CONSTRAINT "sso_settings_customer_id_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- One customer per email domain across the whole service: the sign-in page finds the customer
-- by the domain of the email typed, so two owners of one domain could not both be right.
CREATE TABLE "sso_email_domains" (
    "domain" TEXT NOT NULL,
    "customer_id" UUID NOT NULL,
    CONSTRAINT "sso_email_domains_pkey" PRIMARY KEY ("domain")
);
CREATE INDEX "sso_email_domains_customer_id_idx" ON "sso_email_domains"("customer_id");
ALTER TABLE "sso_email_domains" ADD CONSTRAINT "sso_email_domains_customer_id_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Which admin an identity of the customer's IdP is. Kept when single sign-on is turned off,
-- gone with the admin.
CREATE TABLE "sso_links" (
    "customer_id" UUID NOT NULL,
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "admin_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "sso_links_pkey" PRIMARY KEY ("customer_id", "issuer", "subject")
);
CREATE INDEX "sso_links_admin_id_idx" ON "sso_links"("admin_id");
ALTER TABLE "sso_links" ADD CONSTRAINT "sso_links_customer_id_fkey"
    FOREIGN KEY ("customer_id") REFERENCES "customers"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "sso_links" ADD CONSTRAINT "sso_links_admin_id_fkey"
    FOREIGN KEY ("admin_id") REFERENCES "admins"("id") ON DELETE CASCADE ON UPDATE CASCADE;
