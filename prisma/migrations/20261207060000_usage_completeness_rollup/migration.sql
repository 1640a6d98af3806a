-- Completeness on rollups (docs/decisions/015-completeness-rollup.md): the overview's "late"
-- days and its per-day coverage (servers registered / servers reported) were computed on every
-- read from raw records and from every server's registrations times every day of the range,
-- so a year of 5,000 servers cost more than the rest of the overview together. They are now
-- kept like the sums of usage_customer_rollups, at ingestion, as append-only deltas.
--
-- usage_daily.late: whether the server's first record of that key and day was received on or
-- after the day after next (UTC). Set when the row is created, never by a later correction;
-- Delete data's rebuild sets it again from the first receipt of the records that remain.
ALTER TABLE "usage_daily" ADD COLUMN "late" BOOLEAN NOT NULL DEFAULT false;

-- One row per server and day with a record (of any key): whether one of the server's
-- registrations covered that day (from the UTC day it was made through the UTC day it was
-- removed, open-ended while active), as last counted into the rollup. The registrations
-- trigger below recounts a server's days when its registrations change.
CREATE TABLE "usage_server_days" (
    "customer_id" UUID NOT NULL,
    "license_server_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "registered" BOOLEAN NOT NULL,
    CONSTRAINT "usage_server_days_pkey" PRIMARY KEY ("customer_id", "license_server_id", "day")
);

-- In the customer rollup and its deltas: per key and day (granularity 'day') how many servers'
-- first receipt was late; and rows of granularity 'servers' (product key '', '', '') holding
-- per day how many servers reported (`servers`) and how many of them no registration covered
-- (`unregistered`). Existing rows count 0 of both; the backfill below adds the counts as deltas.
ALTER TABLE "usage_customer_rollups" ADD COLUMN "late" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "usage_customer_rollups" ADD COLUMN "unregistered" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "usage_customer_deltas" ADD COLUMN "late" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "usage_customer_deltas" ADD COLUMN "unregistered" INTEGER NOT NULL DEFAULT 0;

-- Whether a registration of the server covers the day (the coverage rule: made before the
-- day ended, not removed before it began).
CREATE FUNCTION usage_server_registered_on(server UUID, on_day DATE) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM registrations r
    WHERE r.license_server_id = server
      AND (r.registered_at AT TIME ZONE 'UTC')::date <= on_day
      AND (r.removed_at IS NULL OR (r.removed_at AT TIME ZONE 'UTC')::date >= on_day))
$$;

-- Backfill: late from each server's first receipt of the key and day.
UPDATE "usage_daily" d SET "late" = true
FROM (
  SELECT r.license_server_id, r.product_code, r.edition, r.license_model,
         (r.period_start AT TIME ZONE 'UTC')::date AS day, min(rep.received_at) AS first_received
  FROM usage_records r JOIN usage_reports rep ON rep.id = r.usage_report_id
  GROUP BY 1, 2, 3, 4, 5
) f
WHERE f.license_server_id = d.license_server_id AND f.product_code = d.product_code AND f.edition = d.edition
  AND f.license_model = d.license_model AND f.day = d.day
  AND f.first_received >= ((d.day + 2)::timestamp AT TIME ZONE 'UTC');

INSERT INTO "usage_server_days" ("customer_id", "license_server_id", "day", "registered")
SELECT customer_id, license_server_id, day, usage_server_registered_on(license_server_id, day)
FROM (SELECT DISTINCT customer_id, license_server_id, day FROM "usage_daily") d;

-- Backfill of the counts, as deltas (the sweep folds them): the whole customer ('') and each
-- tag of the server's active registration, as the rollup's own backfill did.
INSERT INTO "usage_customer_deltas" ("customer_id", "tag", "granularity", "product_code", "edition", "license_model", "period",
                                     "installed", "in_use", "peak_in_use", "servers", "late", "unregistered")
SELECT d.customer_id, t.tag, 'day', d.product_code, d.edition, d.license_model, d.day, 0, 0, 0, 0, count(*), 0
FROM "usage_daily" d
CROSS JOIN LATERAL (
  SELECT '' AS tag
  UNION ALL
  SELECT unnest(r.tags) FROM registrations r
  WHERE r.license_server_id = d.license_server_id AND r.removed_at IS NULL AND NOT r.pending_approval
) t
WHERE d.late
GROUP BY d.customer_id, t.tag, d.product_code, d.edition, d.license_model, d.day;

INSERT INTO "usage_customer_deltas" ("customer_id", "tag", "granularity", "product_code", "edition", "license_model", "period",
                                     "installed", "in_use", "peak_in_use", "servers", "late", "unregistered")
SELECT s.customer_id, t.tag, 'servers', '', '', '', s.day, 0, 0, 0, count(*), 0, count(*) FILTER (WHERE NOT s.registered)
FROM "usage_server_days" s
CROSS JOIN LATERAL (
  SELECT '' AS tag
  UNION ALL
  SELECT unnest(r.tags) FROM registrations r
  WHERE r.license_server_id = s.license_server_id AND r.removed_at IS NULL AND NOT r.pending_approval
) t
GROUP BY s.customer_id, t.tag, s.day;

-- The server's whole contribution, times `sign`, as deltas of the given tags: its days and its
-- highest day of each month per key (with the late count of its days), and its reported days
-- (with whether a registration covered each). Replaces the function of the rollup's migration.
CREATE OR REPLACE FUNCTION usage_move_server_tags(server UUID, tags TEXT[], sign INTEGER) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO usage_customer_deltas (customer_id, tag, granularity, product_code, edition, license_model, period,
                                     installed, in_use, peak_in_use, servers, late, unregistered)
  SELECT d.customer_id, t.tag, 'day', d.product_code, d.edition, d.license_model, d.day,
         sign * d.installed, sign * d.in_use, sign * d.peak_in_use, sign, CASE WHEN d.late THEN sign ELSE 0 END, 0
  FROM usage_daily d CROSS JOIN unnest(tags) AS t(tag)
  WHERE d.license_server_id = server
  UNION ALL
  SELECT m.customer_id, t.tag, 'month', m.product_code, m.edition, m.license_model, m.month,
         sign * m.installed, sign * m.in_use, sign * m.peak_in_use, sign, 0, 0
  FROM (SELECT customer_id, product_code, edition, license_model, date_trunc('month', day)::date AS month,
               max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
        FROM usage_daily WHERE license_server_id = server
        GROUP BY customer_id, product_code, edition, license_model, date_trunc('month', day)) m
  CROSS JOIN unnest(tags) AS t(tag)
  UNION ALL
  SELECT s.customer_id, t.tag, 'servers', '', '', '', s.day, 0, 0, 0, sign, 0, CASE WHEN s.registered THEN 0 ELSE sign END
  FROM usage_server_days s CROSS JOIN unnest(tags) AS t(tag)
  WHERE s.customer_id = (SELECT customer_id FROM license_servers WHERE id = server) AND s.license_server_id = server
$$;

-- The registrations trigger of the rollup's migration, which also recounts which of the
-- server's reported days a registration covers when one is made, removed or re-dated. It
-- compares with the stored flags (usage_server_days.registered) rather than with OLD, so each
-- firing brings the server's days to what its registrations say now: several rows of one
-- server changed by one statement still count once.
CREATE OR REPLACE FUNCTION usage_registration_tags_moved() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  before_tags TEXT[] := '{}';
  after_tags TEXT[] := '{}';
  left_tags TEXT[];
  joined_tags TEXT[];
  redated BOOLEAN;
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.removed_at IS NULL AND NOT OLD.pending_approval THEN before_tags := OLD.tags; END IF;
  IF NEW.removed_at IS NULL AND NOT NEW.pending_approval THEN after_tags := NEW.tags; END IF;
  left_tags := ARRAY(SELECT unnest(before_tags) EXCEPT SELECT unnest(after_tags));
  joined_tags := ARRAY(SELECT unnest(after_tags) EXCEPT SELECT unnest(before_tags));
  redated := TG_OP = 'INSERT' OR OLD.registered_at IS DISTINCT FROM NEW.registered_at
             OR OLD.removed_at IS DISTINCT FROM NEW.removed_at;
  IF cardinality(left_tags) = 0 AND cardinality(joined_tags) = 0 AND NOT redated THEN RETURN NULL; END IF;
  PERFORM 1 FROM license_servers WHERE id = NEW.license_server_id FOR NO KEY UPDATE;
  IF cardinality(left_tags) > 0 THEN PERFORM usage_move_server_tags(NEW.license_server_id, left_tags, -1); END IF;
  IF cardinality(joined_tags) > 0 THEN PERFORM usage_move_server_tags(NEW.license_server_id, joined_tags, 1); END IF;
  IF redated THEN
    WITH recounted AS (
      UPDATE usage_server_days s SET registered = NOT s.registered
      WHERE s.customer_id = NEW.customer_id AND s.license_server_id = NEW.license_server_id
        AND s.registered <> usage_server_registered_on(NEW.license_server_id, s.day)
      RETURNING s.customer_id, s.day, s.registered
    )
    INSERT INTO usage_customer_deltas (customer_id, tag, granularity, product_code, edition, license_model, period,
                                       installed, in_use, peak_in_use, servers, late, unregistered)
    SELECT c.customer_id, t.tag, 'servers', '', '', '', c.day, 0, 0, 0, 0, 0, CASE WHEN c.registered THEN -1 ELSE 1 END
    FROM recounted c CROSS JOIN unnest(ARRAY['']::text[] || after_tags) AS t(tag);
  END IF;
  RETURN NULL;
END
$$;

DROP TRIGGER "registrations_usage_tags" ON "registrations";
CREATE TRIGGER "registrations_usage_tags"
AFTER INSERT OR UPDATE OF tags, registered_at, removed_at, pending_approval ON "registrations"
FOR EACH ROW EXECUTE FUNCTION usage_registration_tags_moved();
