import { poolOf, type Db } from '@reg/db/client';

/** A code row as json_to_recordset reads it (INSERT_CODES): keys are column names. */
export interface CodeRow {
  id: string;
  code_hash: string;
  poll_token_hash: string;
  product: string;
  product_version: string;
  instance_id: string;
  server_name: string;
  hostname: string;
  os: string | null;
  requested_from: string;
  requested_at: string;
  expires_at: string;
  interval: number;
}

/**
 * A batch of code rows, sent as one JSON parameter (cheaper to build and to read than twelve
 * arrays). No ON CONFLICT: a code already taken (40 random bits among the few live codes, so
 * rare) makes the whole statement fail, and every request of the batch tries again with new
 * codes; the common case skips the speculative insertion ON CONFLICT needs on each row.
 */
const INSERT_CODES = `
  INSERT INTO registration_codes (id, code_hash, poll_token_hash, product, product_version, instance_id, server_name, hostname, os,
                                  requested_from, requested_at, expires_at, interval)
  SELECT r.*
  FROM json_to_recordset($1::json) AS r(id uuid, code_hash text, poll_token_hash text, product text, product_version text, instance_id uuid,
                                        server_name text, hostname text, os text, requested_from text, requested_at timestamptz,
                                        expires_at timestamptz, interval int)`;

const UNIQUE_VIOLATION = '23505';

export function createCodeRepository(db: Db) {
  // Code issuance is the hot path: node-postgres directly, a named (prepared) statement.
  const pool = poolOf(db);

  return {
    /** Stores the whole batch, or (a code already taken) none of it: false. */
    async insertCodes(rows: CodeRow[]): Promise<boolean> {
      try {
        await pool.query({ name: 'insert-codes', text: INSERT_CODES, values: [JSON.stringify(rows)] });
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === UNIQUE_VIOLATION) return false;
        throw error;
      }
    },

    findCode(id: string) {
      return db.registrationCode.findUnique({ where: { id } });
    },

    /**
     * One conditional update decides whether a poll came too soon, race-free: null when the
     * code is no longer pending.
     */
    async pacePoll(id: string, now: Date, jitterTolerance: number, slowDownStepSeconds: number) {
      const rows = await db.$queryRaw<{ interval: number; too_soon: boolean }[]>`
        WITH previous AS (
          SELECT id, interval,
                 COALESCE(last_polled_at, requested_at) > ${now}::timestamptz - make_interval(secs => interval * ${jitterTolerance}::float8) AS too_soon
          FROM registration_codes WHERE id = ${id}::uuid AND status = 'pending' FOR UPDATE)
        UPDATE registration_codes c
           SET last_polled_at = ${now}::timestamptz,
               interval = CASE WHEN previous.too_soon THEN c.interval + ${slowDownStepSeconds} ELSE c.interval END
          FROM previous WHERE c.id = previous.id
        RETURNING c.interval, previous.too_soon`;
      return rows[0] ?? null;
    },

    /** Claims a registered code's one delivery and stores its credential's hash; null if already claimed. */
    claimDelivery(id: string, now: Date, credentialHash: string) {
      return db.$transaction(async (tx) => {
        const claimed = await tx.registrationCode.updateMany({
          where: { id, status: 'registered', deliveredAt: null, registration: { removedAt: null } },
          data: { deliveredAt: now },
        });
        if (claimed.count === 0) return null;
        const code = await tx.registrationCode.findUniqueOrThrow({ where: { id }, select: { registrationId: true } });
        return tx.registration.update({
          where: { id: code.registrationId! },
          data: { credentialHash },
          include: { customer: { select: { id: true, name: true } } },
        });
      });
    },

    async deleteExpiredBefore(before: Date): Promise<number> {
      // Not a registration-key request still waiting for approval: it does not expire.
      const { count } = await db.registrationCode.deleteMany({
        where: { expiresAt: { lt: before }, NOT: { status: 'pending', registrationId: { not: null } } },
      });
      return count;
    },
  };
}
