import { describe, expect, it } from 'vitest';
import type { TAuditEvent } from '@reg/contracts/audit-api';
import { useTestApp } from './helpers/app.ts';
import { readCsv } from './helpers/csv.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';

const t = useTestApp();

const MINUTE = 60_000;
const get = (s: SignedIn, url: string) => t.client.get(`/api/console${url}`, { as: s });
const list = async (s: SignedIn, query: string) => {
  const response = await get(s, `/audit-events${query}`);
  expect(response.status, response.body).toBe(200);
  return response.json as { items: TAuditEvent[]; nextCursor: string | null };
};
const actions = async (s: SignedIn, query: string) => (await list(s, query)).items.map((e) => e.action);

/**
 * One customer's history: a sign-in, two registrations ten minutes apart, one removal, and a
 * second admin's sign-in; another customer's sign-in beside it.
 */
async function history() {
  const first = await createSignedInAdmin(t.app, t.db);
  const s = first.session;
  const start = t.clock.now();
  t.clock.advance(MINUTE);
  const a = await registerProduct(t.app, s, { serverName: 'A' });
  t.clock.advance(10 * MINUTE);
  await registerProduct(t.app, s, { serverName: 'B' });
  t.clock.advance(MINUTE);
  await t.client.delete(`/api/console/registrations/${a.registrationId}`, undefined, { as: s });
  t.clock.advance(MINUTE);
  const second = await createSignedInAdmin(t.app, t.db, s.customer.id);
  await createSignedInAdmin(t.app, t.db);
  return { s, start, firstAdminId: first.admin.id, secondAdminId: second.admin.id };
}

describe('GET /audit-events filters', () => {
  it('filters by action, actor and time, newest first, and pages within the filter', async () => {
    const { s, start, firstAdminId, secondAdminId } = await history();
    expect(await actions(s, '')).toEqual([
      'session.signed_in',
      'registration.removed',
      'registration.created',
      'registration.created',
      'session.signed_in',
    ]);
    expect(await actions(s, '?action=registration.created')).toEqual(['registration.created', 'registration.created']);
    expect(await actions(s, `?actorId=${secondAdminId}`)).toEqual(['session.signed_in']);
    expect((await actions(s, `?actorId=${firstAdminId}&action=session.signed_in`)).length).toBe(1);
    const fiveMinutesIn = new Date(start.getTime() + 5 * MINUTE).toISOString();
    expect(await actions(s, `?to=${fiveMinutesIn}`)).toEqual(['registration.created', 'session.signed_in']);
    expect(await actions(s, `?from=${fiveMinutesIn}&action=registration.created`)).toEqual(['registration.created']);
    const page = await list(s, '?action=registration.created&limit=1');
    expect(page.nextCursor).not.toBeNull();
    const next = await list(s, `?action=registration.created&limit=1&cursor=${page.nextCursor}`);
    expect(next.items).toHaveLength(1);
    expect(next.items[0]!.id).not.toBe(page.items[0]!.id);
    expect(next.nextCursor).toBeNull();
  });

  it('takes days as a date input gives them: from the start of "from" to the end of "to"', async () => {
    const { s } = await history();
    const day = t.clock.now().toISOString().slice(0, 10);
    const dayAfter = new Date(t.clock.now().getTime() + 24 * 3600_000).toISOString().slice(0, 10);
    // Events of the whole history fall on one or two UTC days; the day range "day..day" holds the latest.
    expect((await list(s, `?from=${day}&to=${day}`)).items[0]!.action).toBe('session.signed_in');
    expect((await list(s, `?from=${dayAfter}`)).items).toEqual([]);
  });

  it('refuses an unknown action, a bad time, a bad actor id and "from" after "to" with 400', async () => {
    const { s } = await history();
    for (const query of [
      '?action=everything',
      '?from=yesterday',
      '?actorId=42',
      '?from=2026-02-01&to=2026-01-01',
      '?from=2026-01-01T10:00:00Z&to=2026-01-01T09:00:00Z',
      '?from=0000-01-01',
      '?to=0000-12-31',
      '?from=0000-06-01T00:00:00Z',
      '?to=0000-06-01T00:00:00Z',
      '?from=0001-01-01T00:30:00%2B01:00',
    ]) {
      const response = await get(s, `/audit-events${query}`);
      expect(response.status, query).toBe(400);
      expect(response.json.error).toBe('invalid_request');
      expect((await get(s, `/audit-events.csv${query}`)).status, query).toBe(400);
    }
  });
});

describe('GET /audit-events.csv', () => {
  it("exports the filtered events of the admin's customer only, details as JSON", async () => {
    const { s } = await history();
    const response = await get(s, '/audit-events.csv?action=registration.removed');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="audit-events-${t.clock.now().toISOString().slice(0, 10)}.csv"`,
    );
    const { header, rows } = readCsv(response.body);
    expect(header).toEqual([
      'at',
      'action',
      'actorType',
      'actorId',
      'actorLabel',
      'targetType',
      'targetId',
      'targetLabel',
      'details',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ action: 'registration.removed', actorType: 'admin', targetLabel: 'A' });
    expect(JSON.parse(rows[0]!.details!)).toEqual({ reason: 'admin' });
    const all = readCsv((await get(s, '/audit-events.csv')).body).rows;
    const json = await list(s, '');
    expect(all.map((row) => row.at)).toEqual(json.items.map((e) => e.at));
  });

  it('answers 401 without a session', async () => {
    const response = await t.client.get('/api/console/audit-events.csv');
    expect(response.status).toBe(401);
    // A session of someone else is still a session of their own customer: nothing leaks.
    const stranger = await signIn(t.app, (await createSignedInAdmin(t.app, t.db)).admin.email);
    const rows = readCsv((await get(stranger, '/audit-events.csv')).body).rows;
    expect(rows.every((row) => row.action === 'session.signed_in')).toBe(true);
  });
});
