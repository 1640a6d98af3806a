import { describe, expect, it } from 'vitest';
import type { TRegistration } from '@reg/contracts/console-api';
import { useTestApp } from './helpers/app.ts';
import { insertRegistrations, readCsv } from './helpers/csv.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { sendUsage, usageReport } from './helpers/usage.ts';

const t = useTestApp();

const fresh = async () => (await createSignedInAdmin(t.app, t.db)).session;
const registered = (s: SignedIn, overrides = {}) => registerProduct(t.app, s, overrides, () => t.clock.advance(5_000));
const get = (s: SignedIn | null, url: string) => t.client.get(`/api/console${url}`, { headers: s?.headers ?? {} });
const today = () => t.clock.now().toISOString().slice(0, 10);
const heartbeat = (product: { credential: string }) => t.client.get('/api/product/v1/registration', { as: product });
/** A CSV download answered 200 and named `<name>-<day>.csv`: its header row and rows. */
const download = async (s: SignedIn, url: string, name: string) => {
  const response = await get(s, url);
  expect(response.status).toBe(200);
  expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(response.headers['content-disposition']).toBe(`attachment; filename="${name}-${today()}.csv"`);
  return readCsv(response.body);
};
/** The columns of both usage exports (one server's, the customer's overview). */
const USAGE_COLUMNS = ['day', 'productCode', 'edition', 'licenseModel', 'installed', 'inUse', 'peakInUse', 'late'];

describe('GET /registrations.csv', () => {
  it('is a CSV download named by the day, with a header row and a row per registration', async () => {
    const s = await fresh();
    const product = await registered(s, { serverName: 'Berlin-LS01', hostname: 'ls01.berlin.example.com' });
    const { header, rows } = await download(s, '/registrations.csv', 'registrations');
    expect(header).toEqual([
      'id',
      'serverName',
      'hostname',
      'status',
      'product',
      'productVersion',
      'os',
      'instanceId',
      'registeredAt',
      'registeredBy',
      'lastContactAt',
      'tags',
    ]);
    expect(rows).toEqual([
      expect.objectContaining({
        id: product.registrationId,
        serverName: 'Berlin-LS01',
        hostname: 'ls01.berlin.example.com',
        status: 'never-contacted',
        registeredBy: s.admin.email,
        lastContactAt: '',
      }),
    ]);
  });

  it('exports what the list shows for the same search, filter and sort, and nothing of another customer', async () => {
    const s = await fresh();
    const other = await fresh();
    await registered(other, { serverName: 'Berlin-other-customer' });
    const a = await registered(s, { serverName: 'Berlin-A', hostname: 'a.example.com' });
    await registered(s, { serverName: 'Berlin-B', hostname: 'b.example.com' });
    await registered(s, { serverName: 'Paris-C', hostname: 'c.example.com' });
    await heartbeat(a);
    for (const query of ['', '?query=berlin', '?status=reporting', '?query=BERLIN&sort=registeredAt&order=desc']) {
      const list = (await get(s, `/registrations${query}`)).json as { items: TRegistration[] };
      const csv = readCsv((await get(s, `/registrations.csv${query}`)).body);
      expect(
        csv.rows.map((row) => row.id),
        query,
      ).toEqual(list.items.map((item) => item.id));
    }
    expect(readCsv((await get(s, '/registrations.csv?query=other')).body).rows).toEqual([]);
  });

  it('prefixes formula-like names with a quote and keeps commas, quotes and unicode intact', async () => {
    const s = await fresh();
    await registered(s, { serverName: '=HYPERLINK("http://evil.example","x")' });
    await registered(s, { serverName: 'Zürich, "Nord" 東京' });
    const names = readCsv((await get(s, '/registrations.csv')).body).rows.map((row) => row.serverName);
    expect(names).toEqual(['\'=HYPERLINK("http://evil.example","x")', 'Zürich, "Nord" 東京']);
  });

  it('pages through every registration, past the size of one database read, without repeats', async () => {
    const s = await fresh();
    await insertRegistrations(t.db, s.customer.id, 1_234);
    const { rows } = readCsv((await get(s, '/registrations.csv?sort=serverName&order=desc')).body);
    expect(rows).toHaveLength(1_234);
    expect(new Set(rows.map((row) => row.id)).size).toBe(1_234);
    expect(rows[0]!.serverName).toBe('LS-001234');
    expect(rows.at(-1)!.serverName).toBe('LS-000001');
  });

  it('answers 400 for a filter the list refuses and 401 without a session', async () => {
    const s = await fresh();
    expect((await get(s, '/registrations.csv?status=sleeping')).status).toBe(400);
    expect((await get(s, '/registrations.csv?sort=hostname')).status).toBe(400);
    expect((await get(null, '/registrations.csv')).status).toBe(401);
  });
});

describe('GET /license-servers/:id/usage.csv', () => {
  const serverIdOf = async (registrationId: string) =>
    (await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } })).licenseServerId;

  it('has a row per point: day, productCode, edition, licenseModel, installed, inUse, peakInUse', async () => {
    const s = await fresh();
    const product = await registered(s);
    const report = usageReport(t.clock.now(), {
      days: 2,
      products: [
        ['XDT', 'PLT'],
        ['MPS', 'ENT'],
      ],
      inUse: 7,
    });
    expect((await sendUsage(t.client, product, report)).status).toBe(202);
    const id = await serverIdOf(product.registrationId);
    const { header, rows } = await download(s, `/license-servers/${id}/usage.csv?granularity=day`, 'usage');
    expect(header).toEqual(USAGE_COLUMNS);
    const json = (await get(s, `/license-servers/${id}/usage`)).json as {
      series: { productCode: string; points: { day: string; inUse: number | null; late: boolean | null }[] }[];
    };
    // A row for every day of the range; a day without a report has empty cells, never 0.
    expect(rows.filter((row) => row.inUse !== '')).toHaveLength(4);
    expect(rows).toEqual(
      json.series.flatMap((series) =>
        series.points.map((point) =>
          expect.objectContaining(
            point.inUse === null
              ? { day: point.day, productCode: series.productCode, installed: '', inUse: '', late: '' }
              : {
                  day: point.day,
                  productCode: series.productCode,
                  inUse: '7',
                  peakInUse: '35',
                  late: String(point.late),
                },
          ),
        ),
      ),
    );
  });

  it("is 404 for another customer's server or a non-id, and 400 for a range the read refuses", async () => {
    const s = await fresh();
    const other = await fresh();
    const theirs = await registered(other);
    const id = await serverIdOf(theirs.registrationId);
    expect((await get(s, `/license-servers/${id}/usage.csv`)).status).toBe(404);
    expect((await get(s, '/license-servers/not-an-id/usage.csv')).status).toBe(404);
    expect((await get(other, `/license-servers/${id}/usage.csv?from=2026-02-01&to=2026-01-01`)).status).toBe(400);
    expect((await get(other, `/license-servers/${id}/usage.csv?from=yesterday`)).status).toBe(400);
  });
});

describe('GET /usage/overview.csv', () => {
  it("has a row per point of the customer's overview, by day or by month, and refuses a range the read refuses", async () => {
    const s = await fresh();
    for (const inUse of [3, 4]) {
      const product = await registered(s);
      const report = usageReport(t.clock.now(), { days: 2, products: [['XDT', 'PLT']], inUse });
      expect((await sendUsage(t.client, product, report)).status).toBe(202);
    }
    for (const granularity of ['day', 'month']) {
      const { header, rows } = await download(s, `/usage/overview.csv?granularity=${granularity}`, 'usage-overview');
      expect(header).toEqual(USAGE_COLUMNS);
      const json = (await get(s, `/usage/overview?granularity=${granularity}`)).json as {
        series: { productCode: string; points: { day: string; inUse: number | null }[] }[];
      };
      const points = json.series.flatMap((series) => series.points.map((point) => ({ ...point, series })));
      expect(points.length).toBeGreaterThan(0);
      expect(rows).toEqual(
        points.map((point) =>
          expect.objectContaining({ day: point.day, productCode: 'XDT', inUse: String(point.inUse ?? '') }),
        ),
      );
      // Summed over both servers; days without a report are empty.
      const reported = rows.filter((row) => row.inUse !== '');
      expect(reported.length).toBeGreaterThan(0);
      expect(reported.every((row) => row.inUse === '7')).toBe(true);
    }
    expect((await get(s, '/usage/overview.csv?from=2026-02-01&to=2026-01-01')).status).toBe(400);
    expect((await get(s, '/usage/overview.csv?granularity=week')).status).toBe(400);
    expect((await get(null, '/usage/overview.csv')).status).toBe(401);
  });
});
