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
 * channel wants the event, so a channel added later is not sent old transitions but hears
 * the next one. The upsert only writes where the stored state still differs: a second sweep
 * running at the same time waits on the row, then finds it already changed and returns
 * nothing, so each transition is returned (and announced) exactly once.
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
