-- Admins get a role: 'full' (everything) or 'read-only'. Every existing admin keeps full
-- rights; the default makes admins added by the operator CLI and the seed full too.
ALTER TABLE "admins" ADD COLUMN "role" TEXT NOT NULL DEFAULT 'full';
ALTER TABLE "admins" ADD CONSTRAINT "admins_role_check" CHECK ("role" IN ('full', 'read-only'));

-- An API client belongs to the admin who created it: it acts with that admin's role, and
-- removing the admin deletes the client, whose tokens go with it (their own cascade), so
-- they stop working at once.
ALTER TABLE "api_clients" ADD COLUMN "created_by_admin_id" UUID;
UPDATE "api_clients" c SET "created_by_admin_id" = a."id"
  FROM "admins" a WHERE a."email" = c."created_by_email" AND a."customer_id" = c."customer_id";
-- A client whose admin was removed before this migration would have been deleted with them.
DELETE FROM "api_clients" WHERE "created_by_admin_id" IS NULL;
ALTER TABLE "api_clients" ALTER COLUMN "created_by_admin_id" SET NOT NULL;
CREATE INDEX "api_clients_created_by_admin_id_idx" ON "api_clients"("created_by_admin_id");
ALTER TABLE "api_clients" ADD CONSTRAINT "api_clients_created_by_admin_id_fkey" FOREIGN KEY ("created_by_admin_id") REFERENCES "admins"("id") ON DELETE CASCADE ON UPDATE CASCADE;
