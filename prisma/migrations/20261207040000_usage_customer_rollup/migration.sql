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
--
-- `tag` '' is the whole customer; a tag's rows hold the servers whose active registration
-- carries the tag (the overview by tag). A registration's tags, removal or approval change
-- which tags a server counts in: the trigger below moves the server's whole contribution.

CREATE TABLE "usage_customer_rollups" (
    "customer_id" UUID NOT NULL,
    "tag" TEXT NOT NULL,
    "granularity" TEXT NOT NULL,
    "product_code" TEXT NOT NULL,
    "edition" TEXT NOT NULL,
    "license_model" TEXT NOT NULL,
    "period" DATE NOT NULL,
    "installed" BIGINT NOT NULL,
    "in_use" BIGINT NOT NULL,
    "peak_in_use" BIGINT NOT NULL,
    "servers" INTEGER NOT NULL,
    CONSTRAINT "usage_customer_rollups_pkey" PRIMARY KEY ("customer_id", "tag", "granularity", "product_code", "edition", "license_model", "period")
);

CREATE TABLE "usage_customer_deltas" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" UUID NOT NULL,
    "tag" TEXT NOT NULL,
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
-- Readers add a customer's deltas of one tag and granularity: retagging 1,000 servers leaves
-- 1.5 million deltas of those tags until folded, which the whole customer's read must skip.
CREATE INDEX "usage_customer_deltas_customer_id_tag_granularity_period_idx"
  ON "usage_customer_deltas"("customer_id", "tag", "granularity", "period");

-- The overview's "each server's latest day in the range" reads usage_latest by customer.
CREATE INDEX "usage_latest_customer_id_idx" ON "usage_latest"("customer_id");

-- Backfill from the server rollups already stored.
INSERT INTO "usage_customer_rollups" ("customer_id", "tag", "granularity", "product_code", "edition", "license_model", "period",
                                      "installed", "in_use", "peak_in_use", "servers")
SELECT customer_id, '', 'day', product_code, edition, license_model, day,
       sum(installed), sum(in_use), sum(peak_in_use), count(*)
FROM "usage_daily"
GROUP BY customer_id, product_code, edition, license_model, day;

INSERT INTO "usage_customer_rollups" ("customer_id", "tag", "granularity", "product_code", "edition", "license_model", "period",
                                      "installed", "in_use", "peak_in_use", "servers")
SELECT customer_id, '', 'month', product_code, edition, license_model, month,
       sum(installed), sum(in_use), sum(peak_in_use), count(*)
FROM (
  SELECT customer_id, license_server_id, product_code, edition, license_model, date_trunc('month', day)::date AS month,
         max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
  FROM "usage_daily"
  GROUP BY customer_id, license_server_id, product_code, edition, license_model, month
) per_server
GROUP BY customer_id, product_code, edition, license_model, month;

-- Backfill by tag: every server counts in the tags of its active registration.
INSERT INTO "usage_customer_rollups" ("customer_id", "tag", "granularity", "product_code", "edition", "license_model", "period",
                                      "installed", "in_use", "peak_in_use", "servers")
SELECT d.customer_id, t.tag, 'day', d.product_code, d.edition, d.license_model, d.day,
       sum(d.installed), sum(d.in_use), sum(d.peak_in_use), count(*)
FROM "usage_daily" d
JOIN "registrations" r ON r.license_server_id = d.license_server_id AND r.removed_at IS NULL AND NOT r.pending_approval
CROSS JOIN LATERAL unnest(r.tags) AS t(tag)
GROUP BY d.customer_id, t.tag, d.product_code, d.edition, d.license_model, d.day;

INSERT INTO "usage_customer_rollups" ("customer_id", "tag", "granularity", "product_code", "edition", "license_model", "period",
                                      "installed", "in_use", "peak_in_use", "servers")
SELECT m.customer_id, t.tag, 'month', m.product_code, m.edition, m.license_model, m.month,
       sum(m.installed), sum(m.in_use), sum(m.peak_in_use), count(*)
FROM (
  SELECT customer_id, license_server_id, product_code, edition, license_model, date_trunc('month', day)::date AS month,
         max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
  FROM "usage_daily"
  GROUP BY customer_id, license_server_id, product_code, edition, license_model, month
) m
JOIN "registrations" r ON r.license_server_id = m.license_server_id AND r.removed_at IS NULL AND NOT r.pending_approval
CROSS JOIN LATERAL unnest(r.tags) AS t(tag)
GROUP BY m.customer_id, t.tag, m.product_code, m.edition, m.license_model, m.month;

-- The server's whole contribution (its days, and its highest day of each month), times `sign`,
-- as deltas of the given tags. The upload path and Delete data write their own deltas
-- (usage-customer-rollup.repository.ts); this moves a server between tags.
CREATE FUNCTION usage_move_server_tags(server UUID, tags TEXT[], sign INTEGER) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO usage_customer_deltas (customer_id, tag, granularity, product_code, edition, license_model, period,
                                     installed, in_use, peak_in_use, servers)
  SELECT d.customer_id, t.tag, 'day', d.product_code, d.edition, d.license_model, d.day,
         sign * d.installed, sign * d.in_use, sign * d.peak_in_use, sign
  FROM usage_daily d CROSS JOIN unnest(tags) AS t(tag)
  WHERE d.license_server_id = server
  UNION ALL
  SELECT m.customer_id, t.tag, 'month', m.product_code, m.edition, m.license_model, m.month,
         sign * m.installed, sign * m.in_use, sign * m.peak_in_use, sign
  FROM (SELECT customer_id, product_code, edition, license_model, date_trunc('month', day)::date AS month,
               max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
        FROM usage_daily WHERE license_server_id = server
        GROUP BY customer_id, product_code, edition, license_model, date_trunc('month', day)) m
  CROSS JOIN unnest(tags) AS t(tag)
$$;

-- A server counts in the tags of its active registration. Whatever changes that (tags edited, a
-- registration made, approved, replaced or removed, by any path) changes a registration row's
-- tags, removed_at or pending_approval: this trigger moves the server's contribution from the
-- tags it leaves to those it joins. It first locks the server row, as every upload does
-- (docs/decisions/007-uploads-of-one-server-take-turns.md), so no upload of the server is
-- half-counted: one that committed before is in usage_daily as read here, one after reads the
-- new tags.
CREATE FUNCTION usage_registration_tags_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  before_tags TEXT[] := '{}';
  after_tags TEXT[] := '{}';
  left_tags TEXT[];
  joined_tags TEXT[];
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.removed_at IS NULL AND NOT OLD.pending_approval THEN before_tags := OLD.tags; END IF;
  IF NEW.removed_at IS NULL AND NOT NEW.pending_approval THEN after_tags := NEW.tags; END IF;
  left_tags := ARRAY(SELECT unnest(before_tags) EXCEPT SELECT unnest(after_tags));
  joined_tags := ARRAY(SELECT unnest(after_tags) EXCEPT SELECT unnest(before_tags));
  IF cardinality(left_tags) = 0 AND cardinality(joined_tags) = 0 THEN RETURN NULL; END IF;
  PERFORM 1 FROM license_servers WHERE id = NEW.license_server_id FOR NO KEY UPDATE;
  IF cardinality(left_tags) > 0 THEN PERFORM usage_move_server_tags(NEW.license_server_id, left_tags, -1); END IF;
  IF cardinality(joined_tags) > 0 THEN PERFORM usage_move_server_tags(NEW.license_server_id, joined_tags, 1); END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER "registrations_usage_tags"
AFTER INSERT OR UPDATE OF tags, removed_at, pending_approval ON "registrations"
FOR EACH ROW EXECUTE FUNCTION usage_registration_tags_moved();
