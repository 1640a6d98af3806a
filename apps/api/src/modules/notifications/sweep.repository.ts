import type { Tx } from '../../lib/tx.ts';

interface ServerTransition {
  registrationId: string;
  customerId: string;
  licenseServerId: string;
  serverName: string;
  hostname: string;
  lastContactAt: Date | null;
  notReporting: boolean;
}

/**
 * Registrations whose reporting state differs from what was last announced, marked as
 * announced. Silent means no contact for the window: since the last contact, or, for a
 * registration that never made contact, since it was registered (Cisco's "failed to
 * connect"; its event carries `lastContactAt: null`). The state is claimed whether or not a
 * channel wants the event, so a channel added later is not sent old transitions: it is told
 * the current state instead (announceCurrentState in sweep.ts), then hears the next one.
 * The upsert only writes where the stored state still differs: a second sweep running at
 * the same time waits on the row, then finds it already changed and returns nothing, so
 * each transition is returned (and announced) exactly once.
 */
export function claimServerTransitions(tx: Tx, now: Date, cutoff: Date): Promise<ServerTransition[]> {
  return tx.$queryRaw<ServerTransition[]>`
    WITH observed AS (
      SELECT r.id, r.customer_id, r.license_server_id, r.server_name, r.hostname, r.last_contact_at,
             coalesce(r.last_contact_at, r.registered_at) <= ${cutoff} AS not_reporting
      FROM registrations r LEFT JOIN notification_server_states s ON s.registration_id = r.id
      WHERE r.removed_at IS NULL
        AND (coalesce(r.last_contact_at, r.registered_at) <= ${cutoff}) <> coalesce(s.not_reporting, false)
    ), changed AS (
      INSERT INTO notification_server_states (registration_id, not_reporting, changed_at)
      SELECT id, not_reporting, ${now} FROM observed
      ON CONFLICT (registration_id) DO UPDATE SET not_reporting = excluded.not_reporting, changed_at = excluded.changed_at
      WHERE notification_server_states.not_reporting <> excluded.not_reporting
      RETURNING registration_id
    )
    SELECT o.id AS "registrationId", o.customer_id AS "customerId", o.license_server_id AS "licenseServerId",
           o.server_name AS "serverName", o.hostname, o.last_contact_at AS "lastContactAt", o.not_reporting AS "notReporting"
    FROM observed o JOIN changed c ON c.registration_id = o.id`;
}

/** A registration the sweep last recorded as Not reporting, as its event's data needs it. */
interface SilentServer {
  registrationId: string;
  licenseServerId: string;
  serverName: string;
  hostname: string;
  lastContactAt: Date | null;
}

/**
 * Takes turns with the sweep over a customer's announced states: a channel that starts
 * receiving events holds it exclusively while it reads the current state, and the sweep holds
 * it shared between claiming transitions and writing their events. So either the sweep's
 * event reaches the new channel, or the channel reads the state the sweep claimed, never
 * neither nor both. Shared locks don't block each other: sweeps on several instances go on.
 */
export async function lockServerStates(tx: Tx, customerIds: string[], mode: 'shared' | 'exclusive'): Promise<void> {
  // Sorted, so two transactions taking several never wait on each other in a circle.
  for (const id of [...new Set(customerIds)].sort()) {
    const key = `notification-server-states:${id}`;
    if (mode === 'shared') await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${key}, 0))`;
    else await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  }
}

/** The customer's active registrations the sweep last announced as Not reporting. */
export function silentServers(tx: Tx, customerId: string): Promise<SilentServer[]> {
  return tx.$queryRaw<SilentServer[]>`
    SELECT r.id AS "registrationId", r.license_server_id AS "licenseServerId", r.server_name AS "serverName",
           r.hostname, r.last_contact_at AS "lastContactAt"
    FROM registrations r JOIN notification_server_states s ON s.registration_id = r.id
    WHERE r.customer_id = ${customerId}::uuid AND r.removed_at IS NULL AND s.not_reporting
    ORDER BY r.registered_at, r.id`;
}
