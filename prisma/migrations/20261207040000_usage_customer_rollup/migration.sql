-- Per-customer rollup of usage (docs/decisions/011-customer-daily-rollup.md): per customer,
-- product key and period (a UTC day, or a month) the sum over the customer's license servers of
-- each server's point (usage_daily's row for a day, the highest of its days for a month), and
-- how many servers have a point. The overview reads it, so a year is 365 rows per key however
-- many servers report.
--
-- Uploads never write it: they append their change (new point minus old point of the server)
-- to usage_customer_deltas, an insert that waits on nothing, and a sweep folds the deltas into
-- the rollup in batches. Readers add the deltas not folded yet, in the same statement, so a
-- read is exact whether or not the sweep has run.

CREATE TABLE "usage_customer_rollups" (
    "customer_id" UUID NOT NULL,
    "granularity" TEXT NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "period" DATE NOT NULL,
    "installed" BIGINT NOT NULL,
    "in_use" BIGINT NOT NULL,
    "peak_in_use" BIGINT NOT NULL,
    "servers" INTEGER NOT NULL,
    CONSTRAINT "usage_customer_rollups_pkey" PRIMARY KEY ("customer_id", "granularity", "product_code", "edition", "license_model", "period")
);

CREATE TABLE "usage_customer_deltas" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "granularity" TEXT NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "period" DATE NOT NULL,
    "installed" BIGINT NOT NULL,
    "in_use" BIGINT NOT NULL,
    "peak_in_use" BIGINT NOT NULL,
    "servers" INTEGER NOT NULL,
    CONSTRAINT "usage_customer_deltas_pkey" PRIMARY KEY ("customer_id", "id")
);
CREATE INDEX "usage_customer_deltas_id_idx" ON "usage_customer_deltas"("id");

-- The overview's "each server's latest day in the range" reads usage_latest by customer.
CREATE INDEX "usage_latest_customer_id_idx" ON "usage_latest"("customer_id");

-- Backfill from the server rollups already stored.
INSERT INTO "usage_customer_rollups" ("customer_id", "granularity", "product_code", "edition", "license_model", "period",
                                      "installed", "in_use", "peak_in_use", "servers")
SELECT customer_id, 'day', product_code, edition, license_model, day,
       sum(installed), sum(in_use), sum(peak_in_use), count(*)
FROM "usage_daily"
GROUP BY customer_id, product_code, edition, license_model, day;

INSERT INTO "usage_customer_rollups" ("customer_id", "granularity", "product_code", "edition", "license_model", "period",
                                      "installed", "in_use", "peak_in_use", "servers")
SELECT customer_id, 'month', product_code, edition, license_model, month,
       sum(installed), sum(in_use), sum(peak_in_use), count(*)
FROM (
  SELECT customer_id, license_server_id, product_code, edition, license_model, date_trunc('month', day)::date AS month,
         max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
  FROM "usage_daily"
  GROUP BY customer_id, license_server_id, product_code, edition, license_model, month
) per_server
GROUP BY customer_id, product_code, edition, license_model, month;
