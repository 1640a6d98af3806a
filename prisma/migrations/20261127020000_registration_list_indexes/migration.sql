-- Product Registrations must answer any page and any search in under 25 ms with 100,000
-- registrations in one customer. The list shows active rows only, sorted by one of three keys
-- with id as tie-breaker (keyset pagination): one partial index per sort key, and trigram
-- indexes for the case-insensitive "contains" search on server and host name.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

DROP INDEX "registrations_customer_id_server_name_id_idx";
DROP INDEX "registrations_customer_id_registered_at_id_idx";
DROP INDEX "registrations_customer_id_last_contact_at_id_idx";

CREATE INDEX "registrations_active_by_server_name" ON "registrations"("customer_id", "server_name", "id") WHERE "removed_at" IS NULL;
CREATE INDEX "registrations_active_by_registered_at" ON "registrations"("customer_id", "registered_at", "id") WHERE "removed_at" IS NULL;
CREATE INDEX "registrations_active_by_last_contact" ON "registrations"("customer_id", (COALESCE("last_contact_at", 'epoch'::timestamptz)), "id") WHERE "removed_at" IS NULL;
CREATE INDEX "registrations_active_server_name_trgm" ON "registrations" USING gin ("server_name" gin_trgm_ops) WHERE "removed_at" IS NULL;
CREATE INDEX "registrations_active_hostname_trgm" ON "registrations" USING gin ("hostname" gin_trgm_ops) WHERE "removed_at" IS NULL;
