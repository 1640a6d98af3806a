import { Prisma } from '@reg/db/client';
import type { Tx } from '../../lib/tx.ts';
import { WARNING_DAYS } from './stale-schedule.ts';

/** A registration the sweep announced or removed, with what its event and audit record name. */
interface SweptRegistration {
  id: string;
  customerId: string;
  licenseServerId: string;
  serverName: string;
  hostname: string;
  lastContactAt: Date | null;
  removalScheduledAt: Date;
  staleRemovalDays: number;
}

// The rule of stale-schedule.ts in SQL: silence from the last contact, or from the registration.
const SILENT_SINCE = Prisma.sql`COALESCE(r.last_contact_at, r.registered_at)`;
const DUE_AT = Prisma.sql`(${SILENT_SINCE} + make_interval(days => c.stale_removal_days))`;
const RETURNED = Prisma.sql`r.id, r.customer_id AS "customerId", r.license_server_id AS "licenseServerId",
  r.server_name AS "serverName", r.hostname, r.last_contact_at AS "lastContactAt",
  r.removal_scheduled_at AS "removalScheduledAt", due."staleRemovalDays"`;

/**
 * Announces the removal of up to `limit` registrations that fall due within WARNING_DAYS and
 * have no announcement that holds, and returns them. Rows are locked with SKIP LOCKED and
 * re-checked once locked, so a second sweep running at the same moment gets other rows or
 * none: each announcement is made (and its event written) once.
 */
export function claimAnnouncements(tx: Tx, now: Date, limit: number): Promise<SweptRegistration[]> {
  return tx.$queryRaw<SweptRegistration[]>`
    WITH due AS (
      SELECT r.id, ${DUE_AT} AS due_at, c.stale_removal_days AS "staleRemovalDays"
      FROM customers c JOIN registrations r ON r.customer_id = c.id AND r.removed_at IS NULL
      -- A registration waiting for approval never goes stale: an admin decides it.
      WHERE c.stale_removal_days IS NOT NULL AND NOT r.pending_approval
        AND ${DUE_AT} - make_interval(days => ${WARNING_DAYS}) <= ${now}
        AND (r.removal_scheduled_at IS NULL OR r.removal_scheduled_at < ${DUE_AT})
      ORDER BY r.id LIMIT ${limit}
      FOR UPDATE OF r SKIP LOCKED
    )
    UPDATE registrations r
    SET removal_scheduled_at = GREATEST(due.due_at, ${now}::timestamptz + make_interval(days => ${WARNING_DAYS}))
    FROM due WHERE r.id = due.id
    RETURNING ${RETURNED}`;
}

/**
 * Claims up to `limit` registrations whose announced time has come and whose announcement
 * still holds (no contact since: a contact moves the due time past it), locked until the
 * transaction ends; the caller removes them through the registrations module's one removal
 * path. A report racing this statement either commits first - the locked row is re-checked,
 * finds the new contact, and is left alone - or waits and finds the registration removed.
 */
export function claimRemovals(tx: Tx, now: Date, limit: number): Promise<{ id: string; customerId: string }[]> {
  return tx.$queryRaw<{ id: string; customerId: string }[]>`
    SELECT r.id, r.customer_id AS "customerId"
    FROM customers c JOIN registrations r ON r.customer_id = c.id AND r.removed_at IS NULL
    WHERE c.stale_removal_days IS NOT NULL
      AND r.removal_scheduled_at <= ${now}
      AND r.removal_scheduled_at >= ${DUE_AT}
    ORDER BY r.id LIMIT ${limit}
    FOR UPDATE OF r SKIP LOCKED`;
}

/** Drops a customer's announced removals (the policy was changed or turned off). */
export async function cancelScheduledRemovals(tx: Tx, customerId: string): Promise<void> {
  await tx.$executeRaw`
    UPDATE registrations SET removal_scheduled_at = NULL
    WHERE customer_id = ${customerId}::uuid AND removed_at IS NULL AND removal_scheduled_at IS NOT NULL`;
}
