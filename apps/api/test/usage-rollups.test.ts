/**
 * The daily rollups always equal a recomputation from the raw records (the rule of
 * docs/usage-insights.md), after any mix of uploads, retries, overlapping reports and
 * Delete data, also when two uploads of one day race.
 */
import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { reportWith, sendUsage } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const HOUR = 3600_000;
const KEYS = [
  ['XDT', 'PLT', 'user-device'],
  ['XDT', 'ENT', 'concurrent'],
  ['XA', 'PLT', 'user-device'],
] as const;
const today = () => Date.UTC(t.clock.now().getUTCFullYear(), t.clock.now().getUTCMonth(), t.clock.now().getUTCDate());

interface RecordSpec {
  day: number;
  slot: number;
  key: number;
  installed: number;
  inUse: number;
  peakInUse: number;
  /** How periodStart is written: as License Servers do, with an offset, or a hair before the slot in microseconds. */
  form?: 'utc' | 'offset' | 'micro';
}

/** A time as a License Server may write it: the API stores every form to the millisecond, in UTC. */
function written(time: number, form: RecordSpec['form'] = 'utc'): string {
  if (form === 'offset') {
    // The same instant at UTC-03:00: the clock reads 3 hours earlier, often the day before.
    return `${new Date(time - 3 * HOUR).toISOString().slice(0, 19)}-03:00`;
  }
  // 0.4 ms before the slot, so a slot at midnight falls on the day before, as the API keeps it.
  if (form === 'micro') return `${new Date(time - 1).toISOString().slice(0, 23)}6Z`;
  return new Date(time).toISOString();
}
/** Six-hour periods over the last three days, so reports overlap and lower or raise each other. */
function report(records: RecordSpec[], minutesAgo: number): TUsageReport {
  const collectedAt = new Date(t.clock.now().getTime() - minutesAgo * 60_000);
  return reportWith(
    records.map((r): TUsageRecord => {
      const start = today() - r.day * 24 * HOUR + r.slot * 6 * HOUR;
      const [productCode, edition, licenseModel] = KEYS[r.key]!;
      return {
        periodStart: written(start, r.form),
        periodEnd: new Date(start + 6 * HOUR).toISOString(),
        productCode,
        edition,
        licenseModel,
        installed: r.installed,
        inUse: r.inUse,
        peakInUse: r.peakInUse,
      };
    }),
    collectedAt,
  );
}

const rollupOf = (serverId: string) => t.db.$queryRaw<unknown[]>`
  SELECT product_code, edition, license_model, day::text, installed, in_use, peak_in_use, last_period_start, last_installed, last_in_use
  FROM usage_daily WHERE license_server_id = ${serverId}::uuid ORDER BY 1, 2, 3, 4`;

/** The rule, straight from the raw records (what the migration's backfill also runs). */
const recomputed = (serverId: string) => t.db.$queryRaw<unknown[]>`
  SELECT product_code, edition, license_model, day::text, max(installed) AS installed, max(in_use) AS in_use,
         max(peak_in_use) AS peak_in_use, max(period_start) AS last_period_start,
         (array_agg(installed ORDER BY period_start DESC))[1] AS last_installed,
         (array_agg(in_use ORDER BY period_start DESC))[1] AS last_in_use
  FROM (SELECT DISTINCT ON (product_code, edition, license_model, period_start)
               product_code, edition, license_model, period_start, (period_start AT TIME ZONE 'UTC')::date AS day,
               installed, in_use, peak_in_use
        FROM usage_records WHERE license_server_id = ${serverId}::uuid
        ORDER BY product_code, edition, license_model, period_start, collected_at DESC, id DESC) latest
  GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;

/** The list's table: per key exactly the newest day of the rollups. */
const latestOf = (serverId: string) => t.db.$queryRaw<unknown[]>`
  SELECT product_code, edition, license_model, day::text, installed, in_use, last_period_start, last_installed, last_in_use
  FROM usage_latest WHERE license_server_id = ${serverId}::uuid ORDER BY 1, 2, 3`;
const newestDays = (serverId: string) => t.db.$queryRaw<unknown[]>`
  SELECT DISTINCT ON (product_code, edition, license_model)
         product_code, edition, license_model, day::text, installed, in_use, last_period_start, last_installed, last_in_use
  FROM usage_daily WHERE license_server_id = ${serverId}::uuid ORDER BY 1, 2, 3, day DESC`;

const serverIdOf = async (registrationId: string) =>
  (await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } })).licenseServerId;
const deleteData = (id: string) =>
  t.client.delete(
    `/api/console/license-servers/${id}/usage`,
    { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
    { as: session },
  );

const recordSpec = fc.record({
  day: fc.integer({ min: 1, max: 3 }),
  slot: fc.integer({ min: 0, max: 3 }),
  key: fc.integer({ min: 0, max: KEYS.length - 1 }),
  installed: fc.integer({ min: 0, max: 50 }),
  inUse: fc.integer({ min: 0, max: 60 }),
  peakInUse: fc.integer({ min: 0, max: 70 }),
  form: fc.constantFrom('utc' as const, 'utc' as const, 'offset' as const, 'micro' as const),
});
const action = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('upload' as const),
      records: fc.array(recordSpec, { minLength: 1, maxLength: 8 }),
      minutesAgo: fc.integer({ min: 0, max: 5 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('retry' as const), which: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ type: fc.constant('delete' as const) }) },
);

describe('Usage rollups', () => {
  it('equal a recomputation from raw records after random uploads, retries, overlaps and Delete data', async () => {
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    const serverId = await serverIdOf(product.registrationId);
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 8 }), async (actions) => {
        await deleteData(serverId);
        const sent: TUsageReport[] = [];
        for (const step of actions) {
          if (step.type === 'upload') {
            // Collected minutes apart (ties too): a later report may lower a period, an earlier one loses.
            const next = report(step.records, step.minutesAgo);
            sent.push(next);
            expect((await sendUsage(t.client, product, next)).status).toBe(202);
          } else if (step.type === 'retry' && sent.length) {
            const again = await sendUsage(t.client, product, sent[step.which % sent.length]);
            expect(again.status).toBe(200);
          } else if (step.type === 'delete') {
            expect((await deleteData(serverId)).status).toBe(200);
          }
        }
        expect(await rollupOf(serverId)).toEqual(await recomputed(serverId));
        expect(await latestOf(serverId)).toEqual(await newestDays(serverId));
      }),
      { numRuns: 25, seed: 20261129, endOnFailure: true },
    );
  });

  it('keep the right values when two uploads touch the same day at once, whichever commits first', async () => {
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    const serverId = await serverIdOf(product.registrationId);
    for (let round = 0; round < 4; round++) {
      await deleteData(serverId);
      const spec = { day: 1, key: 0, installed: 100 };
      // Two periods of one day: the day's maximum is the higher of the two.
      const low = report([{ ...spec, slot: 0, inUse: 40, peakInUse: 45 }], 0);
      const high = report([{ ...spec, slot: 1, inUse: 90, peakInUse: 120 }], 0);
      // One period twice: the later-collected report wins, though it is lower.
      const older = report([{ ...spec, slot: 2, inUse: 95, peakInUse: 99 }], 10);
      const newer = report([{ ...spec, slot: 2, inUse: 10, peakInUse: 11 }], 1);
      const uploads = round % 2 ? [high, low, newer, older] : [older, newer, low, high];
      const answers = await Promise.all(uploads.map((r) => sendUsage(t.client, product, r)));
      expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202]);
      const rows = await t.db.usageDaily.findMany({ where: { licenseServerId: serverId } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ installed: 100, inUse: 90, peakInUse: 120, lastInUse: 10 });
      expect(await rollupOf(serverId)).toEqual(await recomputed(serverId));
    }
  });
});
