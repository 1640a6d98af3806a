import { Prisma } from '@reg/db/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeKeyset } from '../src/lib/keyset.ts';
import { listKinds, listQuery, type ListQuery } from '../src/modules/registrations/registrations.repository.ts';
import { testDatabase } from './helpers/database.ts';
import { createCustomer } from './helpers/factories.ts';

/**
 * Product Registrations must stay fast at 100,000 registrations in one customer (the figure
 * itself is measured by `npm run bench`). Here: with 30,000 rows, the planner must serve every
 * query shape of the list from an index, never by reading the customer's whole table.
 */
let customerId: string;
let db: Awaited<ReturnType<typeof testDatabase>>['db'];
const now = new Date();

beforeAll(async () => {
  ({ db } = await testDatabase());
  customerId = (await createCustomer(db)).id;
  const serverId = (
    await db.licenseServer.create({
      data: { customerId, instanceId: crypto.randomUUID(), serverName: 'x', hostname: 'x' },
    })
  ).id;
  await db.$executeRaw`
    INSERT INTO registrations (id, customer_id, license_server_id, instance_id, product, product_version, server_name, hostname,
                               registered_at, registered_by_email, last_contact_at, removed_at)
    SELECT gen_random_uuid(), ${customerId}::uuid, ${serverId}::uuid, gen_random_uuid(), 'license-server', '11.17.2.0',
           'LS-' || lpad(i::text, 6, '0'), 'ls-' || i || '.corp' || (i % 50) || '.example.com',
           now() - i * interval '1 minute', 'admin@example.com',
           CASE WHEN i % 3 = 0 THEN NULL ELSE now() - (i % 100) * interval '1 hour' END,
           CASE WHEN i % 10 = 0 THEN now() ELSE NULL END
    FROM generate_series(1, 30000) AS i`;
  await db.$executeRawUnsafe('ANALYZE registrations');
}, 120_000);

async function plan(q: Partial<ListQuery>) {
  const { cursor, ...filter } = { sort: 'serverName' as const, order: 'asc' as const, ...q };
  const after = decodeKeyset(cursor, listKinds(filter.sort));
  const query = listQuery({ customerId, filter, after, take: 51, now, notReportingAfterHours: 48 });
  const [row] = await db.$queryRaw<{ 'QUERY PLAN': unknown }[]>(Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`);
  return JSON.stringify(row!['QUERY PLAN']);
}

describe('Product Registrations list plans', () => {
  it.each<[string, Partial<ListQuery>, RegExp]>([
    ['the first page by name', {}, /registrations_active_by_server_name/],
    ['a page by name, descending', { order: 'desc' }, /registrations_active_by_server_name/],
    [
      'a deep cursor page by name',
      { cursor: Buffer.from(JSON.stringify(['LS-025000', crypto.randomUUID()])).toString('base64url') },
      /registrations_active_by_server_name/,
    ],
    ['by registration time', { sort: 'registeredAt', order: 'desc' }, /registrations_active_by_registered_at/],
    ['by last contact', { sort: 'lastContactAt' }, /registrations_active_by_last_contact/],
    ['a rare search', { query: 'corp7.example' }, /trgm|registrations_active_by_server_name/],
    ['a status filter', { status: 'never-contacted' }, /registrations_active_by_server_name/],
  ])('serves %s from an index', async (_name, q, index) => {
    const text = await plan(q);
    expect(text).toMatch(index);
    expect(text).not.toMatch(/"Node Type":"Seq Scan"/);
  });
});
