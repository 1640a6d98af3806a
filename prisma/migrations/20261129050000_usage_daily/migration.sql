-- Daily usage rollups: one row per (license server, product key, UTC day) holding the day's
-- point (per period the latest-collected record wins, then the day's highest values) and the
-- values of the day's newest period (the License Servers list's "latest"). Kept up to date in
-- the transaction of each upload and cleared by Delete data in its transaction; monthly
-- points, the overview and the list read only this table (docs/usage-insights.md).

CREATE TABLE "usage_daily" (
    "customer_id" UUID NOT NULL,
    "license_server_id" UUID NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "installed" INTEGER NOT NULL,
    "in_use" INTEGER NOT NULL,
    "peak_in_use" INTEGER NOT NULL,
    "last_period_start" TIMESTAMPTZ(3) NOT NULL,
    "last_installed" INTEGER NOT NULL,
    "last_in_use" INTEGER NOT NULL,
    CONSTRAINT "usage_daily_pkey" PRIMARY KEY ("license_server_id", "product_code", "edition", "license_model", "day")
);
CREATE INDEX "usage_daily_customer_id_day_idx" ON "usage_daily"("customer_id", "day");
-- No foreign key, like usage_records: its check on every rollup row written cost about as much
-- as the rows themselves (measured with EXPLAIN ANALYZE); rows go with Delete data.

-- Backfill from the records already stored, by the same rule the uploads apply.
INSERT INTO "usage_daily" ("customer_id", "license_server_id", "product_code", "edition", "license_model", "day",
                           "installed", "in_use", "peak_in_use", "last_period_start", "last_installed", "last_in_use")
SELECT customer_id, license_server_id, product_code, edition, license_model, day,
       max(installed), max(in_use), max(peak_in_use), max(period_start),
       (array_agg(installed ORDER BY period_start DESC))[1], (array_agg(in_use ORDER BY period_start DESC))[1]
FROM (
  SELECT DISTINCT ON (license_server_id, product_code, edition, license_model, period_start)
         customer_id, license_server_id, product_code, edition, license_model, period_start,
         (period_start AT TIME ZONE 'UTC')::date AS day, installed, in_use, peak_in_use
  FROM "usage_records"
  ORDER BY license_server_id, product_code, edition, license_model, period_start, collected_at DESC, id DESC
) latest
GROUP BY customer_id, license_server_id, product_code, edition, license_model, day;

-- Per (license server, product key) the newest day's rollup: what the License Servers list
-- shows (latest, overdraft) in reads that follow the number of product keys, not of days.
CREATE TABLE "usage_latest" (
    "customer_id" UUID NOT NULL,
    "license_server_id" UUID NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "installed" INTEGER NOT NULL,
    "in_use" INTEGER NOT NULL,
    "last_period_start" TIMESTAMPTZ(3) NOT NULL,
    "last_installed" INTEGER NOT NULL,
    "last_in_use" INTEGER NOT NULL,
    CONSTRAINT "usage_latest_pkey" PRIMARY KEY ("license_server_id", "product_code", "edition", "license_model")
);

INSERT INTO "usage_latest" ("customer_id", "license_server_id", "product_code", "edition", "license_model", "day",
                            "installed", "in_use", "last_period_start", "last_installed", "last_in_use")
SELECT DISTINCT ON (license_server_id, product_code, edition, license_model)
       customer_id, license_server_id, product_code, edition, license_model, day,
       installed, in_use, last_period_start, last_installed, last_in_use
FROM "usage_daily"
ORDER BY license_server_id, product_code, edition, license_model, day DESC;
