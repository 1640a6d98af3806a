import type { TUsageReport } from '@reg/contracts/usage-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { reportWith, sendUsage } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
let adminEmail: string;
beforeAll(async () => {
  const signedIn = await createSignedInAdmin(t.app, t.db);
  ({ session } = signedIn);
  adminEmail = signedIn.admin.email;
});

const DAY = 24 * 3600_000;
const dayStart = (daysAgo: number) => {
  const now = t.clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY);
};
const day = (daysAgo: number) => dayStart(daysAgo).toISOString().slice(0, 10);
const registered = (name: string) =>
  registerProduct(t.app, session, { serverName: name }, () => t.clock.advance(5_000));
const get = (url: string, s: SignedIn = session) => t.client.get(`/api/console${url}`, { as: s });

/** Two periods a day (the second a bit lower), one product key; `inUse[i]` is for `days[i]` days ago. */
function dailyReport(days: number[], installed: number[], inUse: number[]): TUsageReport {
  return reportWith(
    days.flatMap((ago, i) =>
      [0, 12].map((hour) => ({
        periodStart: new Date(dayStart(ago).getTime() + hour * 3600_000).toISOString(),
        periodEnd: new Date(dayStart(ago).getTime() + (hour + 12) * 3600_000).toISOString(),
        productCode: 'XDT',
        edition: 'PLT',
        licenseModel: 'user-device' as const,
        installed: installed[i]!,
        inUse: inUse[i]! - hour / 12,
        peakInUse: inUse[i]! + 5 - hour / 12,
      })),
    ),
    t.clock.now(),
  );
}

describe('Usage insights', () => {
  let serverA: string;
  let serverB: string;
  beforeAll(async () => {
    const a = await registered('Insights A');
    const b = await registered('Insights B');
    await registered('Insights C never contacted');
    await sendUsage(t.client, a, dailyReport([40, 3, 2, 1], [25, 25, 25, 25], [12, 10, 30, 20]));
    await sendUsage(t.client, b, dailyReport([2, 1], [10, 10], [5, 7]));
    const ids = await t.db.registration.findMany({
      where: { id: { in: [a.registrationId, b.registrationId] } },
      select: { id: true, licenseServerId: true },
    });
    serverA = ids.find((r) => r.id === a.registrationId)!.licenseServerId;
    serverB = ids.find((r) => r.id === b.registrationId)!.licenseServerId;
  });

  it('sums the servers in the overview, counts servers by state and summarises each product key', async () => {
    const response = await get(`/usage/overview?from=${day(3)}&to=${day(1)}`);
    expect(response.status).toBe(200);
    const body = response.json;
    expect(body).toMatchObject({ from: day(3), to: day(1), granularity: 'day' });
    expect(body.servers).toEqual({ total: 3, reporting: 2, notReporting: 0, neverContacted: 1 });
    expect(body.series).toHaveLength(1);
    expect(body.series[0].points).toEqual([
      // Uploaded today: the days before yesterday reached the cloud late.
      { day: day(3), installed: 25, inUse: 10, peakInUse: 15, late: true },
      { day: day(2), installed: 35, inUse: 35, peakInUse: 45, late: true },
      { day: day(1), installed: 35, inUse: 27, peakInUse: 37, late: false },
    ]);
    expect(body.summary).toEqual([
      {
        productCode: 'XDT',
        edition: 'PLT',
        licenseModel: 'user-device',
        installed: 35,
        inUse: 27,
        peakInUse: 45,
        peakDay: day(2),
        peakThisMonth: expect.any(Number),
        peakAllTime: 45,
        utilization: 27 / 35,
        overdraft: true,
      },
    ]);
  });

  it("gives a server's month points as the highest of their days, and its summary with the all-time peak", async () => {
    const monthly = (await get(`/license-servers/${serverA}/usage?from=${day(60)}&to=${day(0)}&granularity=month`))
      .json;
    const byMonth = new Map<string, number>();
    for (const [ago, inUse] of [
      [40, 12],
      [3, 10],
      [2, 30],
      [1, 20],
    ] as const) {
      const month = `${day(ago).slice(0, 7)}-01`;
      byMonth.set(month, Math.max(byMonth.get(month) ?? 0, inUse));
    }
    expect(monthly.granularity).toBe('month');
    // Months of the range without a report are null points (no report is not zero use).
    const withValues = monthly.series[0].points.filter((p: { inUse: number | null }) => p.inUse !== null);
    expect(withValues.map((p: { day: string; inUse: number }) => [p.day, p.inUse])).toEqual([...byMonth.entries()]);
    const lastDay = (await get(`/license-servers/${serverA}/usage?from=${day(1)}&to=${day(1)}`)).json;
    expect(lastDay.summary[0]).toMatchObject({
      installed: 25,
      inUse: 20,
      peakInUse: 25,
      peakAllTime: 35,
      overdraft: false,
    });
    expect(lastDay.summary[0].utilization).toBe(0.8);
  });

  it('marks a server whose latest point is in overdraft in the License Servers list', async () => {
    const items = (await get('/license-servers?query=Insights')).json.items;
    const overdraft = Object.fromEntries(items.map((i: { id: string; overdraft: boolean }) => [i.id, i.overdraft]));
    expect(overdraft[serverA]).toBe(false);
    expect(overdraft[serverB]).toBe(false);
    const c = await registered('Insights D overdraft');
    await sendUsage(t.client, c, dailyReport([1], [10], [12]));
    const d = (await get('/license-servers?query=Insights D')).json.items[0];
    expect(d).toMatchObject({ overdraft: true, latest: [expect.objectContaining({ installed: 10, inUse: 11 })] });
  });

  it('refuses ranges over 400 days and unknown granularities; another customer sees nothing', async () => {
    expect((await get(`/usage/overview?from=2025-01-01&to=2026-02-05`)).status).toBe(200);
    const tooLong = await get(`/usage/overview?from=2025-01-01&to=2026-02-06`);
    expect(tooLong.status).toBe(400);
    expect(tooLong.json.error).toBe('invalid_request');
    expect((await get(`/usage/overview?granularity=week`)).status).toBe(400);
    expect((await get(`/license-servers/${serverA}/usage?from=2026-01-02&to=2026-01-01`)).status).toBe(400);
    const { session: other } = await createSignedInAdmin(t.app, t.db);
    expect((await get(`/license-servers/${serverA}/usage`, other)).status).toBe(404);
    expect((await get('/usage/overview', other)).json).toMatchObject({
      series: [],
      summary: [],
      servers: { total: 0, reporting: 0, notReporting: 0, neverContacted: 0 },
    });
  });

  it('counts servers as not reporting once their last contact is old enough', async () => {
    t.clock.advance((t.config.NOT_REPORTING_AFTER_HOURS + 1) * 3600_000);
    const fresh = await signIn(t.app, adminEmail);
    expect((await get('/usage/overview', fresh)).json.servers).toEqual({
      total: 4,
      reporting: 0,
      notReporting: 3,
      neverContacted: 1,
    });
  });

  it('gives a peak reached on several days the latest of them, and the newest day as the latest point', async () => {
    const fresh = await signIn(t.app, adminEmail); // the session of the others has expired by now
    const e = await registerProduct(t.app, fresh, { serverName: 'Insights E tied peaks' }, () =>
      t.clock.advance(5_000),
    );
    await sendUsage(t.client, e, dailyReport([5, 4, 3], [20, 20, 20], [15, 15, 10]));
    const id = (await get('/license-servers?query=Insights E', fresh)).json.items[0].id;
    const { summary } = (await get(`/license-servers/${id}/usage?from=${day(6)}&to=${day(0)}`, fresh)).json;
    expect(summary).toEqual([
      expect.objectContaining({ installed: 20, inUse: 10, peakInUse: 20, peakDay: day(4), overdraft: false }),
    ]);
  });
});
