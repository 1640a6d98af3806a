/**
 * The overview's completeness (late days, per-day coverage) is kept at ingestion (ADR 015) and
 * must answer what reading the raw data answers: the servers' records with their receipt times,
 * and every server's registrations day by day. Checked for the whole customer and by tag, with
 * the rollup's deltas folded or not, through history uploaded before a registration, late and
 * on-time days, a removal, a server registered again, a tag moved and Delete data.
 */
import { randomUUID } from 'node:crypto';
import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';
import { reportWith, upload } from './helpers/usage.ts';
import { coverageFromRaw, lateFromRaw } from './helpers/completeness.ts';

const DAY = 24 * 3600_000;
// A fixed noon, so "days ago" never straddles midnight while a test runs.
const START = new Date(Date.UTC(2026, 9, 14, 12));
const t = useTestApp();
let session: SignedIn;
let customerId: string;
let email: string;
beforeAll(async () => {
  t.clock.set(START);
  let admin;
  ({ session, admin } = await createSignedInAdmin(t.app, t.db));
  customerId = admin.customerId;
  email = session.admin.email;
});

/** The UTC day `ago` days before the clock's day. */
const day = (ago: number) => new Date(t.clock.now().getTime() - ago * DAY).toISOString().slice(0, 10);
const KEYS = [
  ['XDT', 'PLT', 'user-device'],
  ['XA', 'ENT', 'concurrent'],
] as const;

/** A report of one record per day `ago`, of the key `key`. */
function reportOf(daysAgo: number[], key = 0, inUse = 3): TUsageReport {
  const [productCode, edition, licenseModel] = KEYS[key]!;
  const records: TUsageRecord[] = daysAgo.map((ago) => {
    const start = Date.parse(`${day(ago)}T00:00:00Z`);
    return {
      periodStart: new Date(start).toISOString(),
      periodEnd: new Date(start + DAY).toISOString(),
      productCode,
      edition,
      licenseModel,
      installed: 10,
      inUse,
      peakInUse: inUse,
    };
  });
  return reportWith(records, t.clock.now());
}

interface Product {
  bearer: Record<string, string>;
  registrationId: string;
  serverId: string;
  instanceId: string;
}
async function register(tags: string[] = [], instanceId: string = randomUUID()): Promise<Product> {
  const product = await registerProduct(t.app, session, { instanceId });
  const row = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
  if (tags.length) expect((await patch(`/api/console/registrations/${row.id}`, { tags })).statusCode).toBe(200);
  return { bearer: product.bearer, registrationId: row.id, serverId: row.licenseServerId, instanceId };
}
const patch = (url: string, payload: object) =>
  t.app.inject({ method: 'PATCH', url, headers: session.headers, payload });
async function send(product: Product, report: TUsageReport) {
  expect((await upload(t.app, product.bearer, report)).statusCode).toBe(202);
}

interface Overview {
  coverage: { day: string; registered: number; reported: number }[];
  series: { productCode: string; points: { day: string; late: boolean | null }[] }[];
}
async function overview(tag: string, from: string, to: string) {
  session = await signIn(t.app, email);
  const query = { from, to, ...(tag && { tag }) };
  const response = await t.client.get<Overview>('/api/console/usage/overview', { as: session, query });
  expect(response.status).toBe(200);
  return response.json;
}

/** The overview of every tag (and of none) answers what the raw data says, before and after a fold. */
async function expectSameAsRaw() {
  const [from, to] = [day(20), day(0)];
  for (const fold of [false, true]) {
    if (fold) await t.app.services.usage.foldCustomerRollup();
    for (const tag of ['', 'blue', 'red', 'none']) {
      const read = await overview(tag, from, to);
      expect(read.coverage, `coverage ${tag || 'all'} folded ${fold}`).toEqual(
        await coverageFromRaw(t.db, customerId, tag, from, to, t.clock.now()),
      );
      const late = read.series
        .flatMap((s) => s.points.filter((p) => p.late).map((p) => `${s.productCode}|${p.day}`))
        .sort();
      expect(late, `late ${tag || 'all'} folded ${fold}`).toEqual(await lateFromRaw(t.db, customerId, tag, from, to));
    }
  }
}

describe('completeness kept at ingestion', () => {
  it('counts coverage by tag only over the servers carrying the tag', async () => {
    t.clock.set(START);
    const blue = await register(['blue']);
    await register(['blue']);
    const red = await register(['red']);
    await register();
    await send(blue, reportOf([0, 1]));
    await send(red, reportOf([0]));
    const [from, to] = [day(1), day(0)];
    expect((await overview('blue', from, to)).coverage).toEqual([
      { day: day(1), registered: 1, reported: 1 },
      { day: day(0), registered: 2, reported: 1 },
    ]);
    expect((await overview('red', from, to)).coverage).toEqual([
      { day: day(1), registered: 0, reported: 0 },
      { day: day(0), registered: 1, reported: 1 },
    ]);
    expect((await overview('', from, to)).coverage).toEqual([
      { day: day(1), registered: 1, reported: 1 },
      { day: day(0), registered: 4, reported: 2 },
    ]);
    await expectSameAsRaw();
  }, 120_000);

  it('answers what the raw data says through history, removals, a new registration, retagging and Delete data', async () => {
    t.clock.set(START);
    // History from before the registration (late but yesterday's), on two keys.
    const history = await register(['blue']);
    await send(history, reportOf([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]));
    await send(history, reportOf([3, 4], 1, 5));
    const mover = await register(['blue']);
    await send(mover, reportOf([0, 1, 5]));
    const leaving = await register(['red']);
    await send(leaving, reportOf([2, 3]));
    const deleted = await register(['red']);
    await send(deleted, reportOf([0, 1, 2, 12]));
    await expectSameAsRaw();

    // Two days on: the history's new days on time, the leaving server removed, the mover retagged,
    // the deleted server's data deleted (and one new upload after it), a correction of an old day.
    t.clock.advance(2 * DAY);
    session = await signIn(t.app, email);
    await send(history, reportOf([0, 1]));
    await send(history, reportOf([6], 0, 9));
    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/console/registrations/${leaving.registrationId}`,
      headers: session.headers,
    });
    expect(removed.statusCode).toBe(204);
    expect((await patch(`/api/console/registrations/${mover.registrationId}`, { tags: ['red'] })).statusCode).toBe(200);
    const wiped = await t.app.inject({
      method: 'DELETE',
      url: `/api/console/license-servers/${deleted.serverId}/usage`,
      headers: session.headers,
      payload: { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
    });
    expect(wiped.statusCode).toBe(200);
    await send(deleted, reportOf([0, 8]));
    await expectSameAsRaw();

    // The removed server is registered again (same instance, same license server) a day later and
    // uploads the days it missed, and days of before its first registration.
    t.clock.advance(DAY);
    session = await signIn(t.app, email);
    const again = await register(['blue'], leaving.instanceId);
    expect(again.serverId).toBe(leaving.serverId);
    await send(again, reportOf([0, 1, 2, 3, 15, 16]));
    await expectSameAsRaw();
    // Everything folded, nothing left to add.
    await t.app.services.usage.foldCustomerRollup();
    expect(await t.db.usageCustomerDelta.count({ where: { customerId } })).toBe(0);
  }, 180_000);
});
