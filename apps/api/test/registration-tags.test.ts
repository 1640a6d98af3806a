/**
 * Tags on registrations: PATCH /registrations/:id (who may, what is refused, the audit), the
 * `tag` filter of the list and its CSV (tags as the last column), and the overview by tag,
 * whose rollup follows a registration's tags as they are edited or the registration removed.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createClient, type TestClient } from './helpers/client.ts';
import { readCsv } from './helpers/csv.ts';
import { createAdmin, createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { upload, usageReport } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
let api: TestClient;
let customerId: string;
beforeAll(async () => {
  let admin;
  ({ session, admin } = await createSignedInAdmin(t.app, t.db));
  customerId = admin.customerId;
  api = createClient(t.app, { prefix: '/api/console', as: session });
});

const register = () => registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
const patch = (id: string, body: unknown, as: SignedIn | { token: string } = session) =>
  api.patch(`/registrations/${id}`, body, { as });
const auditOf = (id: string) =>
  t.db.auditEvent.findMany({ where: { customerId, targetId: id, action: 'registration.tags_changed' } });

describe('PATCH /registrations/:id', () => {
  it('replaces the tags in the order given, answers the registration, and audits a change once', async () => {
    const { registrationId } = await register();
    const changed = await patch(registrationId, { tags: ['eu', 'berlin-2', '9x'] });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ id: registrationId, tags: ['eu', 'berlin-2', '9x'] });
    // A retry changes and records nothing.
    expect((await patch(registrationId, { tags: ['eu', 'berlin-2', '9x'] })).status).toBe(200);
    expect(await auditOf(registrationId)).toEqual([
      expect.objectContaining({ details: { from: [], to: ['eu', 'berlin-2', '9x'] }, actorType: 'admin' }),
    ]);
    expect((await patch(registrationId, { tags: [] })).json.tags).toEqual([]);
    expect(await auditOf(registrationId)).toHaveLength(2);
    const listed = await api.get('/registrations', { query: { query: changed.json.serverName } });
    expect(listed.json.items[0].tags).toEqual([]);
  });

  it('refuses bad, hostile and oversized tags with 400 and changes nothing', async () => {
    const { registrationId } = await register();
    const bad: unknown[] = [
      { tags: ['EU'] },
      { tags: [' eu'] },
      { tags: ['-eu'] },
      { tags: ['a'.repeat(33)] },
      { tags: ['eu', 'eu'] },
      { tags: Array.from({ length: 11 }, (_, i) => `t${i}`) },
      { tags: [''] },
      { tags: ['eu\u0000'] },
      { tags: ['é'] },
      { tags: [1] },
      { tags: 'eu' },
      { tags: null },
      {},
      { tags: [], extra: true },
      { tags: ['x'.repeat(100_000)] },
    ];
    for (const body of bad) {
      const answer = await patch(registrationId, body);
      expect([400, 413], JSON.stringify(body).slice(0, 80)).toContain(answer.status);
      expect(answer.json.error).toMatch(/invalid_request|payload_too_large/);
    }
    const row = await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } });
    expect(row.tags).toEqual([]);
  });

  it("is 404 for an unknown, removed or another customer's registration", async () => {
    const { registrationId } = await register();
    const other = await createSignedInAdmin(t.app, t.db);
    expect((await patch(registrationId, { tags: ['eu'] }, other.session)).json.error).toBe('not_found');
    expect((await patch('00000000-0000-4000-8000-000000000000', { tags: ['eu'] })).status).toBe(404);
    expect((await patch('not-a-uuid', { tags: ['eu'] })).status).toBe(404);
    expect((await api.delete(`/registrations/${registrationId}`)).status).toBe(204);
    expect((await patch(registrationId, { tags: ['eu'] })).json.error).toBe('not_found');
  });

  it('is for full admins and their API clients; a read-only admin gets 403, a request without CSRF token too', async () => {
    const { registrationId } = await register();
    const readOnly = await createAdmin(t.db, customerId);
    await t.db.admin.update({ where: { id: readOnly.id }, data: { role: 'read-only' } });
    const denied = await patch(registrationId, { tags: ['eu'] }, await signIn(t.app, readOnly.email));
    expect(denied.json.error).toBe('forbidden');
    const noCsrf = await t.app.inject({
      method: 'PATCH',
      url: `/api/console/registrations/${registrationId}`,
      headers: { cookie: session.headers.cookie! },
      payload: { tags: ['eu'] },
    });
    expect(noCsrf.statusCode).toBe(403);
    const created = await api.post('/api-clients', { name: 'Tagger' });
    const token = await t.app.inject({
      method: 'POST',
      url: '/api/v1/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: created.json.clientId,
        client_secret: created.json.clientSecret,
      }).toString(),
    });
    const byClient = await patch(registrationId, { tags: ['by-script'] }, { token: token.json().access_token });
    expect(byClient.status).toBe(200);
    expect((await auditOf(registrationId))[0]).toMatchObject({ actorType: 'api-client' });
    expect((await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } })).tags).toEqual(['by-script']);
  });
});

describe('The tag filter', () => {
  it('lists and exports only the registrations carrying the tag, the CSV with tags last', async () => {
    const tagged = await register();
    await register();
    await patch(tagged.registrationId, { tags: ['filter-me', 'eu'] });
    const listed = await api.get('/registrations', { query: { tag: 'filter-me' } });
    expect(listed.status).toBe(200);
    expect(listed.json.items.map((r: { id: string }) => r.id)).toEqual([tagged.registrationId]);
    const csv = await api.get('/registrations.csv', { query: { tag: 'filter-me' } });
    const { header, rows } = readCsv(csv.body);
    expect(header.at(-1)).toBe('tags');
    expect(rows.map((r) => [r.id, r.tags])).toEqual([[tagged.registrationId, 'filter-me eu']]);
    for (const tag of ['Filter', 'a b', '', '-x', 'x'.repeat(33)]) {
      expect((await api.get('/registrations', { query: { tag } })).status, tag).toBe(400);
      expect((await api.get('/registrations.csv', { query: { tag } })).status, tag).toBe(400);
      expect((await api.get('/usage/overview', { query: { tag } })).status, tag).toBe(400);
    }
  });
});

describe('The overview by tag', () => {
  const overview = async (tag?: string) =>
    (await api.get('/usage/overview', { query: { ...(tag && { tag }) } })).json as {
      servers: { total: number };
      series: { points: { installed: number }[] }[];
      summary: { installed: number }[];
    };
  const installedOnLastDay = (o: Awaited<ReturnType<typeof overview>>) =>
    // The last day with a report (days without one are null points).
    o.series.reduce((sum, s) => sum + (s.points.findLast((p) => p.installed !== null)?.installed ?? 0), 0);

  it('sums only the servers whose active registration carries the tag, following edits and removal', async () => {
    const servers = await Promise.all([register(), register(), register()]);
    // Concurrent uploads of every server, before and after the tags are set.
    await Promise.all(
      servers.map(async (s, i) =>
        expect(
          (await upload(t.app, s.bearer, usageReport(t.clock.now(), { days: 3, installed: 100 * (i + 1) }))).statusCode,
        ).toBe(202),
      ),
    );
    await patch(servers[0]!.registrationId, { tags: ['wave-1'] });
    await patch(servers[1]!.registrationId, { tags: ['wave-1', 'eu'] });
    expect((await overview('wave-1')).servers.total).toBe(2);
    expect(installedOnLastDay(await overview('wave-1'))).toBe(300);
    expect(installedOnLastDay(await overview('eu'))).toBe(200);
    expect(installedOnLastDay(await overview('nobody'))).toBe(0);

    // A later upload of a tagged server counts in its tags at once (deltas not folded yet).
    await upload(t.app, servers[0]!.bearer, usageReport(t.clock.now(), { days: 1, installed: 150 }));
    expect(installedOnLastDay(await overview('wave-1'))).toBe(350);
    await t.app.services.usage.foldCustomerRollup();
    expect(installedOnLastDay(await overview('wave-1'))).toBe(350);

    // Tags edited: the server's whole history moves.
    await patch(servers[1]!.registrationId, { tags: ['eu'] });
    expect(installedOnLastDay(await overview('wave-1'))).toBe(150);
    // Removed: it leaves its tags.
    await api.delete(`/registrations/${servers[0]!.registrationId}`);
    const after = await overview('wave-1');
    expect(after.servers.total).toBe(0);
    expect(after.series).toEqual([]);
    expect(installedOnLastDay(await overview('eu'))).toBe(200);

    // The CSV takes the tag too.
    const csv = await api.get('/usage/overview.csv', { query: { tag: 'eu' } });
    expect(csv.status).toBe(200);
    expect(readCsv(csv.body).rows.length).toBeGreaterThan(0);
  });
});
