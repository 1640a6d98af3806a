import { describe, expect, it } from 'vitest';
import { testDatabase } from './helpers/database.ts';

/**
 * The path to Citus (docs/operations.md): every table that belongs to a customer is distributed
 * by customer_id, a few small shared tables are reference tables. This lists what breaks
 * Citus's rules today and fails when a new table or constraint adds to it (or when one is
 * fixed: then the list below shrinks with it).
 */
const REFERENCE = ['_prisma_migrations', 'app_secrets', 'attempt_failures', 'code_status'];
const DISTRIBUTION_COLUMN = 'customer_id';

/** What the schema breaks today, one line each. */
const KNOWN = [
  'admins.admins_email_key: unique without customer_id',
  'admins.admins_pkey: unique without customer_id',
  'api_client_tokens.api_client_tokens_client_id_fkey: foreign key to api_clients without customer_id',
  'api_client_tokens.api_client_tokens_pkey: unique without customer_id',
  'api_client_tokens.api_client_tokens_token_hash_key: unique without customer_id',
  'api_client_tokens: no customer_id',
  'api_clients.api_clients_created_by_admin_id_fkey: foreign key to admins without customer_id',
  'api_clients.api_clients_pkey: unique without customer_id',
  'audit_events.audit_events_pkey: unique without customer_id',
  'license_servers.license_servers_pkey: unique without customer_id',
  'notification_channels.notification_channels_pkey: unique without customer_id',
  'notification_deliveries.notification_deliveries_channel_id_fkey: foreign key to notification_channels without customer_id',
  'notification_deliveries.notification_deliveries_event_id_fkey: foreign key to notification_events without customer_id',
  'notification_deliveries.notification_deliveries_pkey: unique without customer_id',
  'notification_deliveries: no customer_id',
  'notification_events.notification_events_pkey: unique without customer_id',
  'notification_server_states.notification_server_states_pkey: unique without customer_id',
  'notification_server_states.notification_server_states_registration_id_fkey: foreign key to registrations without customer_id',
  'notification_server_states: no customer_id',
  'offline_requests.offline_requests_pkey: unique without customer_id',
  'offline_requests.offline_requests_registration_id_fkey: foreign key to registrations without customer_id',
  'offline_requests.offline_requests_registration_id_key: unique without customer_id',
  'registration_codes.registration_codes_code_hash_key: unique without customer_id',
  'registration_codes.registration_codes_pkey: unique without customer_id',
  'registration_codes.registration_codes_registration_id_fkey: foreign key to registrations without customer_id',
  'registration_codes.registration_codes_registration_id_key: unique without customer_id',
  'registration_codes: no customer_id',
  'registration_keys.registration_keys_pkey: unique without customer_id',
  'registrations.registrations_credential_hash_key: unique without customer_id',
  'registrations.registrations_license_server_id_fkey: foreign key to license_servers without customer_id',
  'registrations.registrations_pkey: unique without customer_id',
  'sessions.sessions_admin_id_fkey: foreign key to admins without customer_id',
  'sessions.sessions_pkey: unique without customer_id',
  'sessions.sessions_token_hash_key: unique without customer_id',
  'sessions: no customer_id',
  'usage_daily.usage_daily_pkey: unique without customer_id',
  'usage_latest.usage_latest_pkey: unique without customer_id',
  'usage_overdraft_notices.usage_overdraft_notices_license_server_id_fkey: foreign key to license_servers without customer_id',
  'usage_overdraft_notices.usage_overdraft_notices_pkey: unique without customer_id',
  'usage_overdraft_notices: no customer_id',
  'usage_records.usage_records_pkey: unique without customer_id',
  'usage_reports.usage_reports_license_server_id_fkey: foreign key to license_servers without customer_id',
  'usage_reports.usage_reports_license_server_id_report_id_key: unique without customer_id',
  'usage_reports.usage_reports_pkey: unique without customer_id',
];

interface Constraint {
  table: string;
  name: string;
  type: 'p' | 'u' | 'f';
  columns: string[];
  target: string | null;
  targetColumns: string[] | null;
}

async function violations(): Promise<string[]> {
  const { db } = await testDatabase();
  const tables = (
    await db.$queryRawUnsafe<{ table: string; columns: string[] }[]>(`
      SELECT c.relname::text AS table, array_agg(a.attname::text ORDER BY a.attnum) AS columns
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition
      GROUP BY c.relname ORDER BY c.relname`)
  ).map((row) => ({ ...row, distributed: !REFERENCE.includes(row.table) }));
  const constraints = await db.$queryRawUnsafe<Constraint[]>(`
    SELECT c.relname::text AS table, k.conname::text AS name, k.contype::text AS type, 
      (SELECT array_agg(attname::text ORDER BY attname) FROM pg_attribute WHERE attrelid = k.conrelid AND attnum = ANY (k.conkey)) AS columns,
      t.relname::text AS target,
      (SELECT array_agg(attname::text ORDER BY attname) FROM pg_attribute WHERE attrelid = k.confrelid AND attnum = ANY (k.confkey)) AS "targetColumns"
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_class t ON t.oid = k.confrelid
    WHERE n.nspname = current_schema() AND k.contype = 'f' AND NOT c.relispartition
    UNION ALL
    -- Unique indexes, primary keys among them (a unique index made without a constraint too).
    SELECT c.relname::text, i.relname::text, 'u',
      (SELECT array_agg(attname::text ORDER BY attname) FROM pg_attribute WHERE attrelid = x.indrelid AND attnum = ANY (x.indkey)),
      NULL, NULL
    FROM pg_index x JOIN pg_class c ON c.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND x.indisunique AND NOT c.relispartition
    ORDER BY 1, 2`);
  const isDistributed = (name: string | null) => tables.find((table) => table.table === name)?.distributed ?? false;
  const found: string[] = [];
  for (const table of tables.filter((t) => t.distributed && t.table !== 'customers')) {
    if (!table.columns.includes(DISTRIBUTION_COLUMN)) found.push(`${table.table}: no ${DISTRIBUTION_COLUMN}`);
  }
  for (const k of constraints) {
    const key = k.table === 'customers' ? 'id' : DISTRIBUTION_COLUMN;
    if (!isDistributed(k.table)) {
      if (k.type === 'f' && isDistributed(k.target)) found.push(`${k.table}.${k.name}: reference table -> ${k.target}`);
      continue;
    }
    if (k.type !== 'f' && !k.columns.includes(key)) found.push(`${k.table}.${k.name}: unique without ${key}`);
    if (k.type === 'f' && isDistributed(k.target)) {
      const targetKey = k.target === 'customers' ? 'id' : DISTRIBUTION_COLUMN;
      if (!k.columns.includes(key) || !k.targetColumns?.includes(targetKey)) {
        found.push(`${k.table}.${k.name}: foreign key to ${k.target} without ${DISTRIBUTION_COLUMN}`);
      }
    }
  }
  return found.sort();
}

describe('the schema against Citus', () => {
  it('breaks its rules in the known places only', async () => {
    expect(await violations()).toEqual(KNOWN);
  });
});
