-- Air-gapped registration (docs/offline-files.md): one row per request file used to register.
-- The request id is the primary key, so a request file is single-use: a replay, also after the
-- registration was removed, finds the row and is refused rather than resurrecting the server.
-- usage_key verifies the HMAC of the server's usage files (derived from the credential, which
-- is never stored); the row outlives the registration's removal (kept for the replay check).

CREATE TABLE "offline_requests" (
    "id" UUID NOT NULL,
    "customer_id" UUID NOT NULL,
    "registration_id" UUID NOT NULL,
    "request_hash" TEXT NOT NULL,
    "request_created_at" TIMESTAMPTZ(3) NOT NULL,
    "usage_key" TEXT NOT NULL,
    "registered_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "offline_requests_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "offline_requests_registration_id_key" ON "offline_requests"("registration_id");
ALTER TABLE "offline_requests" ADD CONSTRAINT "offline_requests_registration_id_fkey" FOREIGN KEY ("registration_id") REFERENCES "registrations"("id") ON DELETE CASCADE ON UPDATE CASCADE;
