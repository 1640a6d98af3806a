/**
 * The migration that makes one email one person (people) with a membership (an admins row)
 * per customer, run over a database holding admins from before it: several customers, full
 * and read-only admins, sessions, API clients owned by admins and sign-ins in the audit log.
 * Every admin keeps its id (API clients, sessions and the audit log refer to it), becomes a
 * person of its own with its password, and still signs in afterwards.
 */
import { createDb } from '@reg/db/client';
import { migrate } from '@reg/db/migrator';
import { useDatabaseBefore } from './helpers/migrations.ts';
import { expect, it } from 'vitest';
import { testConfig } from '../src/config.ts';
import { ManualClock } from '../src/lib/clock.ts';
import { hashPassword, sha256 } from '../src/lib/crypto.ts';
import { buildTestApp } from './helpers/app.ts';
import { createClient } from './helpers/client.ts';

const MIGRATION = '20261207010000_people_and_memberships';
const PASSWORD = 'an old password of before';
const before = useDatabaseBefore(MIGRATION);

const q = (text: string, values: unknown[] = []) => before.client.query(text, values);
const id = () => crypto.randomUUID();

it('makes each admin a person with its password and a membership of the same id; sessions and clients follow', async () => {
  const [a, b] = [id(), id()];
  await q(`INSERT INTO customers (id, name) VALUES ($1, 'Acme'), ($2, 'Globex')`, [a, b]);
  const passwordHash = await hashPassword(PASSWORD);
  const admins = {
    ana: { id: id(), customer: a, email: 'ana@example.com', role: 'full', created: '2026-11-28T10:00:00.000Z' },
    rob: { id: id(), customer: a, email: 'rob@example.com', role: 'read-only', created: '2026-11-29T10:00:00.000Z' },
    bea: { id: id(), customer: b, email: 'bea@example.com', role: 'full', created: '2026-11-30T10:00:00.000Z' },
  };
  for (const admin of Object.values(admins)) {
    await q(
      `INSERT INTO admins (id, customer_id, email, password_hash, role, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [admin.id, admin.customer, admin.email, passwordHash, admin.role, admin.created],
    );
  }
  // Before it, an email was one admin of one customer (a unique index across customers).
  await expect(
    q(`INSERT INTO admins (id, customer_id, email, password_hash) VALUES ($1, $2, 'ana@example.com', 'x')`, [id(), b]),
  ).rejects.toThrow(/admins_email_key/);

  const session = (admin: { id: string }, token: string) =>
    q(
      `INSERT INTO sessions (id, token_hash, admin_id, csrf_token, created_at, last_seen_at, expires_at)
       VALUES ($1, $2, $3, 'csrf', now(), now(), now() + interval '1 hour')`,
      [id(), sha256(token), admin.id],
    );
  await session(admins.ana, 'ana-1');
  await session(admins.ana, 'ana-2');
  await session(admins.bea, 'bea-1');
  const apiClient = async (admin: { id: string; customer: string; email: string }) => {
    const clientId = id();
    await q(
      `INSERT INTO api_clients (id, customer_id, name, secret_hash, created_at, created_by_email, created_by_admin_id)
       VALUES ($1, $2, 'client', 'hash', now(), $3, $4)`,
      [clientId, admin.customer, admin.email, admin.id],
    );
    return clientId;
  };
  const anasClient = await apiClient(admins.ana);
  const beasClient = await apiClient(admins.bea);
  // The last sign-in moves from the audit log to the membership: the latest of its own customer.
  const signedIn = (customer: string, actor: string, at: string) =>
    q(
      `INSERT INTO audit_events (id, customer_id, at, actor_type, actor_id, actor_label, action, target_type, target_id, target_label)
       VALUES ($1, $2, $3, 'admin', $4, 'x', 'session.signed_in', 'admin', $4, 'x')`,
      [id(), customer, at, actor],
    );
  await signedIn(a, admins.ana.id, '2026-12-01T08:00:00.000Z');
  await signedIn(a, admins.ana.id, '2026-12-03T08:00:00.000Z');
  await signedIn(b, admins.ana.id, '2026-12-05T08:00:00.000Z'); // another customer's log: not hers

  await migrate(before.url);

  const people = (
    await q(
      `SELECT p.email, p.password_hash, p.password_temporary, p.last_customer_id, p.created_at, p.totp_enabled_at,
              a.id AS admin_id, a.customer_id, a.role, a.status, a.break_glass, a.last_sign_in_at
       FROM people p JOIN admins a ON a.person_id = p.id ORDER BY p.email`,
    )
  ).rows;
  expect(people).toEqual(
    [admins.ana, admins.bea, admins.rob].map((admin) => ({
      email: admin.email,
      password_hash: passwordHash,
      password_temporary: false,
      last_customer_id: admin.customer,
      created_at: new Date(admin.created),
      totp_enabled_at: null,
      admin_id: admin.id,
      customer_id: admin.customer,
      role: admin.role,
      status: 'active',
      break_glass: false,
      last_sign_in_at: admin === admins.ana ? new Date('2026-12-03T08:00:00.000Z') : null,
    })),
  );
  expect((await q(`SELECT count(*)::int AS n FROM people`)).rows[0].n).toBe(3);
  // Sessions carry the person now, as password sessions with no second step pending.
  const sessions = (
    await q(
      `SELECT s.token_hash, s.method, s.mfa_pending, p.email FROM sessions s JOIN people p ON p.id = s.person_id
       JOIN admins a ON a.id = s.admin_id AND a.person_id = s.person_id ORDER BY p.email, s.token_hash`,
    )
  ).rows;
  expect(sessions.map((s) => [s.email, s.method, s.mfa_pending])).toEqual([
    ['ana@example.com', 'password', false],
    ['ana@example.com', 'password', false],
    ['bea@example.com', 'password', false],
  ]);
  expect((await q(`SELECT id, created_by_admin_id FROM api_clients ORDER BY created_by_email`)).rows).toEqual([
    { id: anasClient, created_by_admin_id: admins.ana.id },
    { id: beasClient, created_by_admin_id: admins.bea.id },
  ]);
  expect((await q(`SELECT id, require_mfa FROM customers ORDER BY name`)).rows).toEqual([
    { id: a, require_mfa: false },
    { id: b, require_mfa: false },
  ]);

  // One person may now be a member of several customers, once each.
  const [ana] = (await q(`SELECT id FROM people WHERE email = 'ana@example.com'`)).rows;
  await q(`INSERT INTO admins (id, customer_id, person_id, role) VALUES ($1, $2, $3, 'read-only')`, [id(), b, ana.id]);
  await expect(
    q(`INSERT INTO admins (id, customer_id, person_id) VALUES ($1, $2, $3)`, [id(), a, ana.id]),
  ).rejects.toThrow(/admins_customer_id_person_id_key/);
  // Removing a membership still removes the clients it owns; the person and the other membership stay.
  await q(`DELETE FROM admins WHERE id = $1`, [admins.bea.id]);
  expect((await q(`SELECT id FROM api_clients`)).rows).toEqual([{ id: anasClient }]);
  expect((await q(`SELECT count(*)::int AS n FROM people WHERE email = 'bea@example.com'`)).rows[0].n).toBe(1);
}, 120_000);

it('an admin from before signs in with their old password, into the customer they used, with both memberships', async () => {
  const db = createDb(before.url, { poolSize: 2 });
  const app = await buildTestApp({
    config: testConfig({ PUBLIC_URL: 'http://localhost:8080' }),
    db,
    clock: new ManualClock(new Date()),
  });
  try {
    const signedIn = await createClient(app).post('/api/console/session', {
      email: 'ana@example.com',
      password: PASSWORD,
    });
    expect(signedIn.status).toBe(200);
    expect(signedIn.json).toMatchObject({
      admin: { email: 'ana@example.com', role: 'full' },
      customer: { name: 'Acme' },
      passwordChangeRequired: false,
      mfaEnrollmentRequired: false,
    });
    expect(signedIn.json.customers.map((c: { name: string }) => c.name).sort()).toEqual(['Acme', 'Globex']);
    const reader = await createClient(app).post('/api/console/session', {
      email: 'rob@example.com',
      password: PASSWORD,
    });
    expect(reader.json).toMatchObject({ admin: { role: 'read-only' }, customer: { name: 'Acme' } });
  } finally {
    await app.close();
    await db.$disconnect();
  }
}, 120_000);
