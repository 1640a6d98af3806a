import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { sendUsage, usageReport } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const registered = (s: SignedIn = session, overrides = {}) =>
  registerProduct(t.app, s, overrides, () => t.clock.advance(5_000));
const get = (url: string, s: SignedIn = session) => t.client.get(`/api/console${url}`, { as: s });
const serverIdOf = async (registrationId: string) =>
  (await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } })).licenseServerId;
const deleteData = (id: string, payload: object | undefined, s: SignedIn = session) =>
  t.client.delete(`/api/console/license-servers/${id}/usage`, payload, { as: s });
const BOTH = { acknowledgePermanent: true, acknowledgeCollectionContinues: true };

describe('License Servers', () => {
  it('lists a registered server with its latest usage per product and edition', async () => {
    const product = await registered(session, { serverName: 'Listed server' });
    await sendUsage(
      t.client,
      product,
      usageReport(t.clock.now(), {
        days: 3,
        products: [
          ['XDT', 'PLT'],
          ['XA', 'ENT'],
        ],
      }),
    );
    const body = (await get('/license-servers?query=listed')).json;
    expect(body.items).toHaveLength(1);
    expect(body.items[0]).toMatchObject({
      serverName: 'Listed server',
      registration: { id: product.registrationId, status: 'reporting' },
      lastUploadAt: t.clock.now().toISOString(),
    });
    expect((await get(`/license-servers/${body.items[0].id}`)).json).toEqual(body.items[0]);
    expect(body.items[0].latest).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ productCode: 'XDT', edition: 'PLT', installed: 500, inUse: 312 }),
        expect.objectContaining({ productCode: 'XA', edition: 'ENT' }),
      ]),
    );
  });

  it('gives one point per day over the range, the latest-collected report winning an overlap', async () => {
    const product = await registered();
    const now = t.clock.now();
    await sendUsage(
      t.client,
      product,
      usageReport(now, { days: 3, inUse: 100, collectedAt: new Date(now.getTime() - 60_000) }),
    );
    await sendUsage(t.client, product, usageReport(now, { days: 1, inUse: 200 }));
    const series = (await get(`/license-servers/${await serverIdOf(product.registrationId)}/usage`)).json.series;
    expect(series).toHaveLength(1);
    // Every day of the range has a point; those without a report are null (no report is not zero).
    const reported = series[0].points.filter((p: { inUse: number | null }) => p.inUse !== null);
    expect(reported.map((p: { inUse: number }) => p.inUse)).toEqual([100, 100, 200]);
    expect(series[0].points).toHaveLength(30);
    const narrow = await get(
      `/license-servers/${await serverIdOf(product.registrationId)}/usage?from=2020-01-01&to=2020-01-31`,
    );
    expect(narrow.json.series).toEqual([]);
    expect(
      (await get(`/license-servers/${await serverIdOf(product.registrationId)}/usage?from=yesterday`)).status,
    ).toBe(400);
  });

  it('refuses Delete data without both acknowledgements', async () => {
    const product = await registered();
    await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 2 }));
    const id = await serverIdOf(product.registrationId);
    for (const payload of [
      undefined,
      {},
      { acknowledgePermanent: true },
      { acknowledgeCollectionContinues: true },
      { ...BOTH, acknowledgePermanent: false },
    ]) {
      const response = await deleteData(id, payload);
      expect(response.status).toBe(400);
      expect(response.json.error).toBe('acknowledgement_required');
    }
    expect(await t.db.usageRecord.count({ where: { licenseServerId: id } })).toBe(2);
  });

  it("deletes all of one server's data, audited; uploads keep coming while registered; old report ids stay spent", async () => {
    const product = await registered(session, { serverName: 'Delete me' });
    const other = await registered();
    const old = usageReport(t.clock.now(), { days: 5 });
    await sendUsage(t.client, product, old);
    await sendUsage(t.client, other, usageReport(t.clock.now(), { days: 5 }));
    const id = await serverIdOf(product.registrationId);
    const response = await deleteData(id, BOTH);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ deletedRecords: 5 });
    expect((await get(`/license-servers/${id}/usage`)).json.series).toEqual([]);
    expect(await t.db.usageRecord.count({ where: { licenseServerId: await serverIdOf(other.registrationId) } })).toBe(
      5,
    );
    expect((await sendUsage(t.client, product, old)).json).toMatchObject({ duplicate: true, accepted: 0 });
    expect((await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 1 }))).status).toBe(202);
    const points = (await get(`/license-servers/${id}/usage`)).json.series[0].points as { inUse: number | null }[];
    expect(points.filter((p) => p.inUse !== null)).toHaveLength(1);
    const audit = (await get('/audit-events')).json.items;
    expect(audit).toContainEqual(
      expect.objectContaining({
        action: 'usage.deleted',
        target: { type: 'license_server', id, label: 'Delete me' },
        details: { deletedRecords: 5 },
      }),
    );
  });

  it('drops a server that is no longer registered from the list once its data is deleted', async () => {
    const product = await registered(session, { serverName: 'Retired server' });
    await sendUsage(t.client, product, usageReport(t.clock.now()));
    await t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, { as: session });
    const listed = (await get('/license-servers?query=Retired')).json.items;
    expect(listed).toHaveLength(1);
    expect(listed[0].registration).toBeNull();
    await deleteData(listed[0].id, BOTH);
    expect((await get('/license-servers?query=Retired')).json.items).toEqual([]);
  });

  it("keeps customers apart: another customer's server is 404 everywhere and its data untouched", async () => {
    const stranger = await createSignedInAdmin(t.app, t.db);
    const product = await registered(session, { serverName: 'Private server' });
    await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 2 }));
    const id = await serverIdOf(product.registrationId);
    expect((await get('/license-servers?query=Private', stranger.session)).json.items).toEqual([]);
    expect((await get(`/license-servers/${id}/usage`, stranger.session)).status).toBe(404);
    expect((await get(`/license-servers/${id}`, stranger.session)).status).toBe(404);
    expect((await deleteData(id, BOTH, stranger.session)).status).toBe(404);
    expect((await deleteData('not-a-uuid', BOTH)).status).toBe(404);
    expect(await t.db.usageRecord.count({ where: { licenseServerId: id } })).toBe(2);
  });

  it('pages through servers by name without duplicates or gaps', async () => {
    const { session: fresh } = await createSignedInAdmin(t.app, t.db);
    for (let i = 0; i < 7; i++) await registered(fresh, { serverName: `Server ${String(i).padStart(2, '0')}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { serverName: string }[]; nextCursor: string | null } = (
        await get(`/license-servers?limit=3${cursor ? `&cursor=${cursor}` : ''}`, fresh)
      ).json;
      seen.push(...page.items.map((s) => s.serverName));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `Server ${String(i).padStart(2, '0')}`));
  });
});
