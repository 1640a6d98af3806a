import type { TEntitlements } from '@reg/contracts/entitlements-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { readCsv } from './helpers/csv.ts';
import { dayFrom, keyRecord } from './helpers/entitlements.ts';
import { createAdmin, createSignedInAdmin, registerProduct, signIn } from './helpers/factories.ts';
import { reportWith, upload } from './helpers/usage.ts';

const t = useTestApp();
beforeAll(async () => {
  // Midday: today's record is in the past, and "today" is the same day all along.
  const now = t.clock.now();
  t.clock.set(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12));
});

const now = () => t.clock.now();
const day = (days: number) => dayFrom(now(), days);

describe('dates in usage uploads', () => {
  it('stores expiresAt and maintenanceEndsAt, optional and nullable; the same body again is a duplicate, another date a conflict', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session);
    const report = reportWith(
      [
        keyRecord(now(), 1, { expiresAt: day(40), maintenanceEndsAt: null }),
        keyRecord(now(), 1, { productCode: 'XA' }),
      ],
      now(),
    );
    expect((await upload(t.app, product.bearer, report)).statusCode).toBe(202);
    const again = await upload(t.app, product.bearer, report);
    expect([again.statusCode, again.json().duplicate]).toEqual([200, true]);
    const changed = structuredClone(report);
    changed.records[0]!.expiresAt = day(41);
    const conflict = await upload(t.app, product.bearer, changed);
    expect([conflict.statusCode, conflict.json().error]).toEqual([409, 'report_conflict']);
    // A report without dates hashes as before: null and left out are the same content.
    const plain = reportWith([keyRecord(now(), 2)], now());
    expect((await upload(t.app, product.bearer, plain)).statusCode).toBe(202);
    const withNulls = { ...plain, records: [{ ...plain.records[0]!, expiresAt: null, maintenanceEndsAt: null }] };
    expect((await upload(t.app, product.bearer, withNulls)).json().duplicate).toBe(true);
  });

  it('refuses a day that is not a calendar day from 2000 to 2199, naming the record and the field', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session);
    const bad = [
      '2027-02-30',
      '2027-13-01',
      '2027-01-01T00:00:00Z',
      '1999-12-31',
      '2200-01-01',
      '27-01-01',
      '',
      '2027-01-01\u0000',
      'x'.repeat(100_000),
      20270101,
      { day: '2027-01-01' },
      ['2027-01-01'],
    ];
    for (const value of bad) {
      const records = [keyRecord(now(), 1), keyRecord(now(), 1, { productCode: 'XA' })];
      const report = {
        ...reportWith(records, now()),
        records: records.map((r, i) => (i === 1 ? { ...r, maintenanceEndsAt: value } : r)),
      };
      const response = await upload(t.app, product.bearer, report);
      expect(response.statusCode, JSON.stringify(value).slice(0, 40)).toBe(400);
      expect(response.json().error).toBe('invalid_request');
      const paths = (response.json().details as { path: string[] }[]).map((d) => d.path.join('.'));
      expect(paths).toContain('records.1.maintenanceEndsAt');
    }
    const leap = reportWith([keyRecord(now(), 1, { expiresAt: '2028-02-29', maintenanceEndsAt: '2199-12-31' })], now());
    expect((await upload(t.app, product.bearer, leap)).statusCode).toBe(202);
  });
});

async function customerWithServers() {
  const { session, admin } = await createSignedInAdmin(t.app, t.db);
  const a = await registerProduct(t.app, session, { serverName: 'Alpha' });
  const b = await registerProduct(t.app, session, { serverName: 'Beta' });
  return { session, admin, a, b };
}

describe('GET /entitlements', () => {
  it('sums held keys over servers, takes the earliest dates and the latest record, and orders by urgency', async () => {
    const { session, a, b } = await customerWithServers();
    const n = now();
    // Alpha: XDT short on its latest record (earlier days fine), expiring in 10 days; an old
    // record with another date is replaced by the latest one's.
    await upload(
      t.app,
      a.bearer,
      reportWith(
        [
          keyRecord(n, 3, { installed: 100, inUse: 90, peakInUse: 95, expiresAt: day(5) }),
          keyRecord(n, 1, {
            installed: 100,
            inUse: 120,
            peakInUse: 130,
            expiresAt: day(10),
            maintenanceEndsAt: day(3),
          }),
          keyRecord(n, 1, {
            productCode: 'XA',
            edition: 'ENT',
            installed: 10,
            inUse: 1,
            peakInUse: 2,
            expiresAt: day(-1),
          }),
          keyRecord(n, 1, { productCode: 'XD', installed: 10, inUse: 1, peakInUse: 2, expiresAt: day(20) }),
          keyRecord(n, 1, { productCode: 'ZZ', installed: 10, inUse: 1, peakInUse: 2 }),
          keyRecord(n, 40, { productCode: 'OLD', installed: 10, inUse: 1, peakInUse: 2 }),
        ],
        n,
      ),
    );
    // Beta: XDT with spare licenses and a later expiry; its peak lands on the same day as Alpha's.
    await upload(
      t.app,
      b.bearer,
      reportWith(
        [
          keyRecord(n, 1, {
            installed: 200,
            inUse: 10,
            peakInUse: 20,
            expiresAt: day(300),
            maintenanceEndsAt: day(100),
          }),
          keyRecord(n, 2, { productCode: 'XD', installed: 10, inUse: 1, peakInUse: 9, expiresAt: day(25) }),
          keyRecord(n, 2, { productCode: 'ZA', installed: 10, inUse: 1, peakInUse: 2, expiresAt: day(200) }),
        ],
        n,
      ),
    );
    // A later report corrects Alpha's XD: its latest record has no date any more.
    await upload(
      t.app,
      a.bearer,
      reportWith(
        [keyRecord(n, 1, { productCode: 'XD', installed: 10, inUse: 1, peakInUse: 2 })],
        new Date(n.getTime() + 1000),
      ),
    );

    const answer = await t.client.get<TEntitlements>('/api/console/entitlements', { as: session });
    expect(answer.status).toBe(200);
    expect(answer.json.asOf).toBe(day(0));
    expect(answer.json.warningDays).toBe(30);
    const rows = answer.json.items.map((i) => `${i.productCode} ${i.state}`);
    expect(rows).toEqual(['XA expired', 'XDT insufficient', 'XD expiring', 'ZA ok', 'ZZ ok']);
    const [xa, xdt, xd] = answer.json.items;
    expect(xa).toMatchObject({ edition: 'ENT', expiresAt: day(-1), daysLeft: -1, servers: 1 });
    expect(xdt).toEqual({
      productCode: 'XDT',
      edition: 'PLT',
      licenseModel: 'user-device',
      installed: 300,
      inUse: 130,
      peakInUse30d: 150,
      expiresAt: day(10),
      daysLeft: 10,
      maintenanceEndsAt: day(3),
      maintenanceState: 'ending',
      servers: 2,
      insufficientServers: 1,
      state: 'insufficient',
    });
    expect(xd).toMatchObject({ expiresAt: day(25), daysLeft: 25, servers: 2, peakInUse30d: 9 });

    const csv = await t.client.get('/api/console/entitlements.csv', { as: session });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="entitlements-${day(0)}.csv"`);
    const { header, rows: csvRows } = readCsv(csv.body);
    expect(header.join(',')).toBe(
      'productCode,edition,licenseModel,state,installed,inUse,peakInUse30d,expiresAt,daysLeft,maintenanceEndsAt,maintenanceState,servers,insufficientServers',
    );
    expect(csvRows.map((r) => r.productCode)).toEqual(['XA', 'XDT', 'XD', 'ZA', 'ZZ']);
    expect(csvRows[4]).toMatchObject({ expiresAt: '', daysLeft: '', maintenanceState: '', state: 'ok' });
  });

  it('leaves out servers whose registration was removed, and other customers’ servers', async () => {
    const { session, a, b } = await customerWithServers();
    await upload(t.app, a.bearer, reportWith([keyRecord(now(), 1, { installed: 5, inUse: 4, peakInUse: 4 })], now()));
    await upload(t.app, b.bearer, reportWith([keyRecord(now(), 1, { installed: 7, inUse: 1, peakInUse: 1 })], now()));
    const removed = await t.client.delete(`/api/console/registrations/${b.registrationId}`, undefined, { as: session });
    expect(removed.status, removed.body).toBeLessThan(300);
    const other = await createSignedInAdmin(t.app, t.db);
    expect((await t.client.get('/api/console/entitlements', { as: other.session })).json.items).toEqual([]);
    const mine = (await t.client.get<TEntitlements>('/api/console/entitlements', { as: session })).json.items;
    expect(mine.map((i) => [i.installed, i.servers])).toEqual([[5, 1]]);
  });

  it('is read by read-only admins, refuses unknown parameters, and needs a session', async () => {
    const { admin } = await customerWithServers();
    const readOnly = await createAdmin(t.db, admin.customerId);
    await t.db.admin.update({ where: { id: readOnly.id }, data: { role: 'read-only' } });
    const session = await signIn(t.app, readOnly.email);
    expect((await t.client.get('/api/console/entitlements', { as: session })).status).toBe(200);
    const unknown = await t.client.get('/api/console/entitlements', { as: session, query: { state: 'ok' } });
    expect([unknown.status, unknown.json.error]).toEqual([400, 'invalid_request']);
    expect((await t.client.get('/api/console/entitlements.csv', { as: session, query: { x: '1' } })).status).toBe(400);
    expect((await t.client.get('/api/console/entitlements')).status).toBe(401);
  });

  it('quotes hostile product codes in the CSV so spreadsheets do not run them', async () => {
    const { session, a } = await customerWithServers();
    await upload(
      t.app,
      a.bearer,
      reportWith([keyRecord(now(), 1, { productCode: '=HYPERLINK("http://x")', edition: 'a,"b"\nc' })], now()),
    );
    const csv = await t.client.get('/api/console/entitlements.csv', { as: session });
    const { rows } = readCsv(csv.body);
    expect(rows[0]).toMatchObject({ productCode: `'=HYPERLINK("http://x")`, edition: 'a,"b"\nc' });
  });
});
