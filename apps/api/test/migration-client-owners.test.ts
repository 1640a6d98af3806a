/**
 * The migration that gives API clients an owner backfills it from the creator's email
 * (within the customer) and drops clients whose admin was already gone, so after it every
 * client has an admin and removing that admin removes the client.
 */
import { migrate } from '@reg/db/migrator';
import { useDatabaseBefore } from './helpers/migrations.ts';
import { expect, it } from 'vitest';

const MIGRATION = '20261129010000_admin_roles_and_client_owners';
const before = useDatabaseBefore(MIGRATION);

it('backfills each client from its creator within the customer, and drops clients whose admin is gone', async () => {
  const q = (text: string, values: unknown[] = []) => before.client.query(text, values);
  const [a, b] = [crypto.randomUUID(), crypto.randomUUID()];
  await q(`INSERT INTO customers (id, name) VALUES ($1, 'A'), ($2, 'B')`, [a, b]);
  const ana = crypto.randomUUID();
  await q(`INSERT INTO admins (id, customer_id, email, password_hash) VALUES ($1, $2, 'ana@example.com', 'x')`, [
    ana,
    a,
  ]);
  const add = async (customer: string, email: string) => {
    const id = crypto.randomUUID();
    await q(
      `INSERT INTO api_clients (id, customer_id, name, secret_hash, created_at, created_by_email) VALUES ($1, $2, 'c', 'h', now(), $3)`,
      [id, customer, email],
    );
    await q(`INSERT INTO api_client_tokens (id, client_id, token_hash, expires_at) VALUES ($1, $2, $3, now())`, [
      crypto.randomUUID(),
      id,
      crypto.randomUUID(),
    ]);
    return id;
  };
  const owned = await add(a, 'ana@example.com');
  await add(a, 'gone@example.com'); // its admin was removed before
  await add(b, 'ana@example.com'); // the same email, but not B's admin

  await migrate(before.url);

  const { rows } = await q(`SELECT id, created_by_admin_id FROM api_clients ORDER BY id`);
  expect(rows).toEqual([{ id: owned, created_by_admin_id: ana }]);
  expect((await q(`SELECT client_id FROM api_client_tokens`)).rows).toEqual([{ client_id: owned }]);
  expect((await q(`SELECT role FROM admins`)).rows).toEqual([{ role: 'full' }]);

  await q(`DELETE FROM admins WHERE id = $1`, [ana]);
  expect((await q(`SELECT count(*)::int AS n FROM api_clients`)).rows[0].n).toBe(0);
  expect((await q(`SELECT count(*)::int AS n FROM api_client_tokens`)).rows[0].n).toBe(0);
}, 120_000);
