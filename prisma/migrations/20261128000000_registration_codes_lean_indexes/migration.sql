-- Fewer index entries for each new registration code (docs/benchmarks.md, code issuance).

-- A code row's id is now made from its poll token's hash (codes.service.ts, codeIdOf): a poll
-- finds its row by primary key, and poll_token_hash needs no index of its own.
DROP INDEX "registration_codes_poll_token_hash_key";

-- Expired codes are purged every few minutes by a scan of a table that holds about a day of
-- codes; an index kept up on every insert for that is not worth it.
DROP INDEX "registration_codes_expires_at_idx";

-- Unique as before, but pending codes (no registration yet, the common insert) are left out:
-- NULLs never conflict in a unique index, so this enforces the same and costs nothing on insert.
-- It still serves the foreign key (registration_id = $1 implies IS NOT NULL).
DROP INDEX "registration_codes_registration_id_key";
CREATE UNIQUE INDEX "registration_codes_registration_id_key" ON "registration_codes"("registration_id")
  WHERE "registration_id" IS NOT NULL;
