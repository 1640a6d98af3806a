-- Clone detection (docs/protocol.md): the machine a registration's credential is used from.
-- The first fingerprint it is used with is kept, with when it was last seen; a request with
-- another fingerprint while the kept one was seen within 24 hours is refused (409
-- duplicate_instance) and marks the registration duplicate until 24 hours after the last refusal.
ALTER TABLE "registrations" ADD COLUMN "machine_fingerprint" TEXT;
ALTER TABLE "registrations" ADD COLUMN "fingerprint_seen_at" TIMESTAMPTZ(3);
-- The last refused request from another machine; the registration shows as duplicate for 24 hours after it.
ALTER TABLE "registrations" ADD COLUMN "duplicate_refused_at" TIMESTAMPTZ(3);
