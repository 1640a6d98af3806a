import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { readCsv } from './helpers/csv.ts';
import { createSignedInAdmin, registerProduct, signIn } from './helpers/factories.ts';
import { reportWith, upload } from './helpers/usage.ts';

const DAY = 24 * 3600_000;
const t = useTestApp();
// A fixed noon, so "days ago" never straddles midnight while a test runs.
const START = new Date(Date.UTC(2026, 10, 20, 12));
beforeAll(async () => {
  t.clock.set(START);
});

const api = () => t.client.with({ prefix: '/api/console' });
/** The UTC day `ago` days before the clock's day. */
const day = (ago: number) => new Date(t.clock.now().getTime() - ago * DAY).toISOString().slice(0, 10);

/** A report of one record per given day (by date), XDT PLT, with these values. */
function reportOf(days: string[], inUse: number, installed = 10): TUsageReport {
  const records: TUsageRecord[] = days.map((d) => ({
    periodStart: `${d}T00:00:00.000Z`,
    periodEnd: new Date(Date.parse(`${d}T00:00:00Z`) + DAY).toISOString(),
    productCode: 'XDT',
    edition: 'PLT',
    licenseModel: 'user-device',
    installed,
    inUse,
    peakInUse: inUse,
  }));
  return reportWith(records, t.clock.now());
}

async function serverOf(registrationId: string) {
  const row = await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } });
  return row.licenseServerId;
}

describe('no report is not zero', () => {
  it('gives every day a point: null without a report, 0 for zero use, late when filled after the next day', async () => {
    t.clock.set(START);
    const { session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, { serverName: 'Gappy' });
    const id = await serverOf(product.registrationId);
    // Yesterday on time (received today), zero use; five days ago, received today: late.
    expect((await upload(t.app, product.bearer, reportOf([day(1)], 0))).statusCode).toBe(202);
    expect((await upload(t.app, product.bearer, reportOf([day(5)], 4))).statusCode).toBe(202);

    const range = { from: day(5), to: day(1) };
    let usage = (await api().get(`/license-servers/${id}/usage`, { as: session, query: range })).json;
    expect(usage.series).toHaveLength(1);
    expect(usage.series[0].points).toEqual([
      { day: day(5), installed: 10, inUse: 4, peakInUse: 4, late: true },
      { day: day(4), installed: null, inUse: null, peakInUse: null, late: null },
      { day: day(3), installed: null, inUse: null, peakInUse: null, late: null },
      { day: day(2), installed: null, inUse: null, peakInUse: null, late: null },
      { day: day(1), installed: 10, inUse: 0, peakInUse: 0, late: false },
    ]);
    // The summary is taken from the days with values only.
    expect(usage.summary[0]).toMatchObject({ peakInUse: 4, peakDay: day(5), inUse: 0 });

    // Three days later the spool fills the gap (late), and corrects yesterday's day (still on time).
    const oldYesterday = day(1);
    t.clock.set(new Date(START.getTime() + 3 * DAY));
    const session2 = await signIn(t.app, session.admin.email);
    // The days that were 4, 3 and 2 days ago.
    const filled = reportOf([day(7), day(6), day(5)], 2);
    expect((await upload(t.app, product.bearer, filled)).statusCode).toBe(202);
    expect((await upload(t.app, product.bearer, reportOf([oldYesterday], 1))).statusCode).toBe(202);
    usage = (await api().get(`/license-servers/${id}/usage`, { as: session2, query: range })).json;
    expect(
      usage.series[0].points.map((p: { inUse: number | null; late: boolean | null }) => [p.inUse, p.late]),
    ).toEqual([
      [4, true],
      [2, true],
      [2, true],
      [2, true],
      [1, false],
    ]);

    // The CSV: empty cells for no report, and a last column `late`.
    const gap = { from: range.from, to: day(0) };
    const csv = await api().get(`/license-servers/${id}/usage.csv`, { as: session2, query: gap });
    const { header, rows } = readCsv(csv.body);
    expect(header.at(-1)).toBe('late');
    const today = rows.find((row) => row.day === day(0))!;
    expect(today).toMatchObject({ installed: '', inUse: '', peakInUse: '', late: '' });
    expect(rows.find((row) => row.day === range.from)).toMatchObject({ inUse: '4', late: 'true' });
    expect(rows.find((row) => row.day === oldYesterday)).toMatchObject({ inUse: '1', late: 'false' });

    // By month: one point per month of the range, late when any of its days is.
    const monthly = (
      await api().get(`/license-servers/${id}/usage`, { as: session2, query: { ...range, granularity: 'month' } })
    ).json;
    expect(monthly.series[0].points.map((p: { late: boolean | null }) => p.late)).toContain(true);
  }, 60_000);

  it('counts per day the servers registered and those that reported, in the overview', async () => {
    t.clock.set(START);
    const { session } = await createSignedInAdmin(t.app, t.db);
    const a = await registerProduct(t.app, session, { serverName: 'Reports' });
    await registerProduct(t.app, session, { serverName: 'Silent' });
    expect((await upload(t.app, a.bearer, reportOf([day(0)], 3))).statusCode).toBe(202);
    // Registered today, it uploads last week's history: it counts for those days.
    const history = await registerProduct(t.app, session, { serverName: 'History' });
    expect((await upload(t.app, history.bearer, reportOf([day(6)], 2))).statusCode).toBe(202);

    const overview = (await api().get('/usage/overview', { as: session, query: { from: day(7), to: day(0) } })).json;
    expect(overview.coverage).toHaveLength(8);
    const byDay = new Map(
      overview.coverage.map((c: { day: string; registered: number; reported: number }) => [c.day, c]),
    );
    expect(byDay.get(day(7))).toEqual({ day: day(7), registered: 0, reported: 0 });
    expect(byDay.get(day(6))).toEqual({ day: day(6), registered: 1, reported: 1 });
    expect(byDay.get(day(3))).toEqual({ day: day(3), registered: 0, reported: 0 });
    expect(byDay.get(day(0))).toEqual({ day: day(0), registered: 3, reported: 1 });
    // The summed points follow the same rule: null on a day no server reported.
    const points = overview.series[0].points as { day: string; inUse: number | null }[];
    expect(points.find((p) => p.day === day(3))!.inUse).toBeNull();
    expect(points.find((p) => p.day === day(6))!.inUse).toBe(2);
  }, 60_000);
});
