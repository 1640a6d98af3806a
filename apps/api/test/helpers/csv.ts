import type { Db } from '@reg/db/client';
import { parse } from 'csv-parse/sync';

/** A CSV body read back as a spreadsheet would: the header row, then one object per row. */
export function readCsv(body: string): { header: string[]; rows: Record<string, string>[] } {
  const records: string[][] = parse(body);
  const [header = [], ...rest] = records;
  return { header, rows: rest.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))) };
}

/**
 * `count` active registrations of one customer straight in SQL, named `<prefix>-000001`… (the
 * bench's shape); `osPadding` (in a column without a search index, so inserting stays quick)
 * makes rows as wide as a test needs.
 */
export async function insertRegistrations(
  db: Db,
  customerId: string,
  count: number,
  { prefix = 'LS', osPadding = '' } = {},
) {
  await db.$executeRaw`
    INSERT INTO license_servers (id, customer_id, instance_id, server_name, hostname, created_at)
    SELECT gen_random_uuid(), ${customerId}::uuid, gen_random_uuid(), ${prefix} || '-' || lpad(i::text, 6, '0'),
           'ls' || i || '.example.com', now()
    FROM generate_series(1, ${count}::int) AS i`;
  await db.$executeRaw`
    INSERT INTO registrations (id, customer_id, license_server_id, instance_id, product, product_version, server_name,
                               hostname, os, registered_at, registered_by_email, last_contact_at)
    SELECT gen_random_uuid(), ls.customer_id, ls.id, ls.instance_id, 'license-server', '11.17.2.0', ls.server_name,
           ls.hostname, 'Windows Server 2022' || ${osPadding}, now(), 'bulk@example.com', NULL
    FROM license_servers ls
    WHERE ls.customer_id = ${customerId}::uuid AND ls.server_name LIKE ${`${prefix}-%`}`;
}
