-- Stale registrations (docs/stale-registrations.md): a customer may have registrations that
-- stay silent for N days removed by the sweep, after a warning three days before.
ALTER TABLE "customers" ADD COLUMN "stale_removal_days" INTEGER;
ALTER TABLE "customers" ADD CONSTRAINT "customers_stale_removal_days_check"
  CHECK ("stale_removal_days" BETWEEN 7 AND 365);

-- When the sweep announced (server.removal_scheduled) that this registration will be removed.
-- A schedule counts only while it is at or after the registration's current due time, so a
-- report (which moves the due time later) voids it without the hot report path writing here.
ALTER TABLE "registrations" ADD COLUMN "removal_scheduled_at" TIMESTAMPTZ(3);

