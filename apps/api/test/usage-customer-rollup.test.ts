/**
 * The per-customer rollup (ADR 011) always equals the sum over the customer's servers of their
 * own rollups, by day and by month, whether its deltas are folded or not: after many servers
 * upload at once (overlapping, lowering and repeating periods), while folds run between them,
 * and after Delete data. The overview reads it.
 */
import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createClient } from './helpers/client.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { reportWith, upload } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
let customerId: string;
beforeAll(async () => {
  let admin;
  ({ session, admin } = await createSignedInAdmin(t.app, t.db));
  customerId = admin.customerId;
});

const DAY = 24 * 3600_000;
const KEYS = [
  ['XDT', 'PLT', 'user-device'],
  ['XA', 'ENT', 'concurrent'],
] as const;
const today = () => Date.UTC(t.clock.now().getUTCFullYear(), t.clock.now().getUTCMonth(), t.clock.now().getUTCDate());

/** A deterministic pseudo-random sequence, so a failure can be replayed. */
function random(seed: number) {
  let state = seed;
  return (n: number) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

/** A report of 12-hour periods over the last 40 days (two months): repeats and lowers periods across reports. */
function report(next: (n: number) => number, minutesAgo: number): TUsageReport {
  const records: TUsageRecord[] = [];
  for (let i = 1 + next(6); i > 0; i--) {
    const start = today() - (1 + next(40)) * DAY + next(2) * 12 * 3600_000;
    const [productCode, edition, licenseModel] = KEYS[next(KEYS.length)]!;
    records.push({
      periodStart: new Date(start).toISOString(),
      periodEnd: new Date(start + 12 * 3600_000).toISOString(),
      productCode,
      edition,
      licenseModel,
      installed: next(100),
      inUse: next(120),
      peakInUse: next(140),
    });
  }
  return reportWith(records, new Date(t.clock.now().getTime() - minutesAgo * 60_000));
}

/** The customer's rollup (tag '': the whole customer) as readers see it: folded rows plus the deltas left. */
const customerView = (granularity: 'day' | 'month', tag = '') => t.db.$queryRaw<unknown[]>`
  SELECT product_code, edition, license_model, period::text, sum(installed)::int AS installed,
         sum(in_use)::int AS in_use, sum(peak_in_use)::int AS peak_in_use, sum(servers)::int AS servers
  FROM (SELECT product_code, edition, license_model, period, installed, in_use, peak_in_use, servers
        FROM usage_customer_rollups WHERE customer_id = ${customerId}::uuid AND granularity = ${granularity} AND tag = ${tag}
        UNION ALL
        SELECT product_code, edition, license_model, period, installed, in_use, peak_in_use, servers
        FROM usage_customer_deltas WHERE customer_id = ${customerId}::uuid AND granularity = ${granularity} AND tag = ${tag}) x
  GROUP BY 1, 2, 3, 4 HAVING sum(servers) > 0 ORDER BY 1, 2, 3, 4`;

/**
 * The same from the servers' own rollups: a day sums their days, a month their highest day of
 * it; by tag, of the servers whose active registration carries it.
 */
const fromServers = (granularity: 'day' | 'month', tag = '') => t.db.$queryRaw<unknown[]>`
  SELECT product_code, edition, license_model, period::text, sum(installed)::int AS installed,
         sum(in_use)::int AS in_use, sum(peak_in_use)::int AS peak_in_use, count(*)::int AS servers
  FROM (SELECT license_server_id, product_code, edition, license_model, date_trunc(${granularity}, day)::date AS period,
               max(installed) AS installed, max(in_use) AS in_use, max(peak_in_use) AS peak_in_use
        FROM usage_daily d WHERE customer_id = ${customerId}::uuid
          AND (${tag} = '' OR EXISTS (SELECT 1 FROM registrations r WHERE r.license_server_id = d.license_server_id
                                      AND r.removed_at IS NULL AND NOT r.pending_approval AND ${tag} = ANY (r.tags)))
        GROUP BY 1, 2, 3, 4, 5) per_server
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;

async function expectRollupEqualsServers() {
  for (const tag of ['', 'odd', 'even', 'all'])
    for (const granularity of ['day', 'month'] as const)
      expect(await customerView(granularity, tag), `${tag} ${granularity}`).toEqual(
        await fromServers(granularity, tag),
      );
}

const tagsOf = (i: number, round: number) => ((i + round) % 2 ? ['odd', 'all'] : ['even', 'all']);
const setTags = (registrationId: string, tags: string[]) =>
  t.app.inject({
    method: 'PATCH',
    url: `/api/console/registrations/${registrationId}`,
    headers: session.headers,
    payload: { tags },
  });

const deleteData = (serverId: string) =>
  t.app.inject({
    method: 'DELETE',
    url: `/api/console/license-servers/${serverId}/usage`,
    headers: session.headers,
    payload: { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
  });

describe('The customer usage rollup', () => {
  const SERVERS = 12;
  const products: { bearer: Record<string, string>; serverId: string; registrationId: string }[] = [];

  it('equals the servers summed after concurrent uploads of many servers, folded or not', async () => {
    for (let i = 0; i < SERVERS; i++) {
      const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
      const registration = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
      products.push({
        bearer: product.bearer,
        serverId: registration.licenseServerId,
        registrationId: registration.id,
      });
    }
    const next = random(20261207);
    for (let round = 0; round < 3; round++) {
      // Every server uploads several reports at once, beside a fold of the deltas so far.
      const uploads = products.flatMap((p) =>
        [0, 1, 2].map(async () => {
          const response = await upload(t.app, p.bearer, report(next, next(5)));
          expect(response.statusCode).toBe(202);
        }),
      );
      // Tags change beside them: each move of a server between tags takes turns with its uploads.
      const retags = products.map(async (p, i) =>
        expect((await setTags(p.registrationId, tagsOf(i, round))).statusCode).toBe(200),
      );
      await Promise.all([...uploads, ...retags, t.app.services.usage.foldCustomerRollup()]);
      await expectRollupEqualsServers();
    }
    await t.app.services.usage.foldCustomerRollup();
    const left = await t.db.usageCustomerDelta.count({ where: { customerId } });
    expect(left).toBe(0);
    await expectRollupEqualsServers();
  });

  it('stays equal after Delete data, with uploads of other servers and a fold at the same time', async () => {
    const next = random(7);
    const [first, second, ...others] = products;
    await Promise.all([
      deleteData(first!.serverId).then((r) => expect(r.statusCode).toBe(200)),
      ...others.map(async (p) => expect((await upload(t.app, p.bearer, report(next, 0))).statusCode).toBe(202)),
      t.app.services.usage.foldCustomerRollup(),
    ]);
    await expectRollupEqualsServers();
    await deleteData(second!.serverId);
    await t.app.services.usage.foldCustomerRollup();
    await expectRollupEqualsServers();
    // A deleted server's days are gone from the overview as from its own rollup.
    expect(await t.db.usageDaily.count({ where: { licenseServerId: first!.serverId } })).toBe(0);
  });

  it('is what the overview reads: its days and months are the servers summed', async () => {
    const client = createClient(t.app);
    const from = new Date(today() - 45 * DAY).toISOString().slice(0, 10);
    const to = new Date(today()).toISOString().slice(0, 10);
    for (const granularity of ['day', 'month'] as const) {
      const overview = await client.get<{ series: { points: { day: string; inUse: number | null }[] }[] }>(
        `/api/console/usage/overview?from=${from}&to=${to}&granularity=${granularity}`,
        { as: session },
      );
      expect(overview.status).toBe(200);
      const expected = (await fromServers(granularity)) as { period: string; in_use: number }[];
      const inRange = expected.filter((row) => row.period >= (granularity === 'day' ? from : `${from.slice(0, 7)}-01`));
      // Periods without a report are null points (no report is not zero use); compare the reported ones.
      const points = overview.json.series.flatMap((s) =>
        s.points.filter((p) => p.inUse !== null).map((p) => ({ period: p.day, in_use: p.inUse })),
      );
      expect(points.length).toBe(inRange.length);
      expect(points.reduce((sum, p) => sum + (p.in_use ?? 0), 0)).toBe(inRange.reduce((sum, p) => sum + p.in_use, 0));
    }
  });
});
