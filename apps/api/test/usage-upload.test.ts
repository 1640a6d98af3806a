import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { reportHashV1 } from '../src/modules/usage/report-hash.ts';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { sendUsage, usageReport } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const registered = (overrides = {}) => registerProduct(t.app, session, overrides, () => t.clock.advance(5_000));
const recordCount = async (registrationId: string) => {
  const registration = await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } });
  return t.db.usageRecord.count({ where: { licenseServerId: registration.licenseServerId } });
};

describe('POST /api/product/v1/usage', () => {
  it.each([false, true])('stores a report (gzip: %s), counts it as contact and updates the version', async (gzip) => {
    const product = await registered();
    const report = { ...usageReport(t.clock.now(), { days: 3 }), server: { productVersion: '11.18.0.0' } };
    const response = await sendUsage(t.client, product, report, { gzip });
    expect(response.status).toBe(202);
    expect(response.json).toEqual({ reportId: report.reportId, accepted: 3, duplicate: false });
    expect(await recordCount(product.registrationId)).toBe(3);
    const registration = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    expect(registration.productVersion).toBe('11.18.0.0');
    expect(registration.lastContactAt).toEqual(t.clock.now());
  });

  it('stores a retry once: the same reportId and body answers 200 duplicate, gzip or not', async () => {
    const product = await registered();
    const report = usageReport(t.clock.now(), { days: 2 });
    expect((await sendUsage(t.client, product, report)).status).toBe(202);
    const retry = await sendUsage(t.client, product, report, { gzip: true });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ reportId: report.reportId, accepted: 0, duplicate: true });
    expect(await recordCount(product.registrationId)).toBe(2);
  });

  it('takes a retry with its keys in another order and other spacing as the same report', async () => {
    const product = await registered();
    const report = usageReport(t.clock.now(), { days: 2 });
    expect((await sendUsage(t.client, product, report)).status).toBe(202);
    const reversed = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).reverse()) as T;
    const reordered = reversed({ ...report, server: reversed(report.server), records: report.records.map(reversed) });
    const retry = await t.client.post('/api/product/v1/usage', JSON.stringify(reordered, null, 2), {
      as: product,
      headers: { 'content-type': 'application/json' },
    });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ reportId: report.reportId, accepted: 0, duplicate: true });
  });

  it('compares a retry of a report stored before hashes had a version by the old hash', async () => {
    const product = await registered();
    const report = usageReport(t.clock.now(), { days: 2 });
    expect((await sendUsage(t.client, product, report)).status).toBe(202);
    // As a report stored by the previous version: its hash is the v1 one.
    await t.db.usageReport.updateMany({
      where: { reportId: report.reportId },
      data: { bodyHash: reportHashV1(report) },
    });
    const retry = await sendUsage(t.client, product, report);
    expect(retry.json).toEqual({ reportId: report.reportId, accepted: 0, duplicate: true });
    const changed = { ...report, records: [{ ...report.records[0]!, inUse: 1 }] };
    expect((await sendUsage(t.client, product, changed)).status).toBe(409);
  });

  it('stores concurrent duplicates once', async () => {
    const product = await registered();
    const report = usageReport(t.clock.now(), { days: 5 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => sendUsage(t.client, product, report)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 202]);
    expect(await recordCount(product.registrationId)).toBe(5);
  });

  it('answers 409 report_conflict for the same reportId with another body', async () => {
    const product = await registered();
    const report = usageReport(t.clock.now());
    await sendUsage(t.client, product, report);
    const changed = { ...report, records: [{ ...report.records[0]!, inUse: 1 }] };
    const response = await sendUsage(t.client, product, changed);
    expect(response.status).toBe(409);
    expect(response.json.error).toBe('report_conflict');
    expect(await recordCount(product.registrationId)).toBe(1);
  });

  it('checks the credential before reading the body', async () => {
    const response = await sendUsage(t.client, { token: 'wrong' }, 'not even json');
    expect(response.status).toBe(401);
    expect(response.json.error).toBe('invalid_credential');
  });

  const now = () => t.clock.now();
  const day = 24 * 3600_000;
  const base = () => usageReport(now());
  const withRecord = (change: object) => ({ ...base(), records: [{ ...base().records[0]!, ...change }] });
  it.each([
    ['no records', () => ({ ...base(), records: [] })],
    ['5,001 records', () => ({ ...base(), records: Array.from({ length: 5001 }, () => base().records[0]) })],
    ['an unknown field', () => ({ ...base(), extra: true })],
    ['an unknown record field', () => withRecord({ note: 'x' })],
    ['a reportId that is not a UUID', () => ({ ...base(), reportId: '42' })],
    ['a license model outside the two', () => withRecord({ licenseModel: 'named-user' })],
    ['a negative count', () => withRecord({ installed: -1 })],
    ['a count above 10,000,000', () => withRecord({ inUse: 10_000_001 })],
    ['a fractional count', () => withRecord({ peakInUse: 1.5 })],
    ['periodStart not before periodEnd', () => withRecord({ periodEnd: base().records[0]!.periodStart })],
    ['a period 401 days old', () => withRecord({ periodStart: new Date(now().getTime() - 401 * day).toISOString() })],
    [
      'a period more than a day ahead',
      () => withRecord({ periodEnd: new Date(now().getTime() + 2 * day).toISOString() }),
    ],
    [
      'collectedAt in the future',
      () => ({ ...base(), collectedAt: new Date(now().getTime() + 2 * day).toISOString() }),
    ],
    ['a product code of 65 characters', () => withRecord({ productCode: 'P'.repeat(65) })],
    ['an edition with a NUL', () => withRecord({ edition: 'P\u0000T' })],
    ['a date that is not ISO 8601', () => withRecord({ periodStart: 'yesterday' })],
  ])('answers 400 invalid_request for %s and stores nothing', async (_name, make) => {
    const product = await registered();
    const response = await sendUsage(t.client, product, make());
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'invalid_request', message: expect.any(String) });
    expect(await recordCount(product.registrationId)).toBe(0);
  });

  it('accepts overdraft (in use above installed) and 5,000 records', async () => {
    const product = await registered();
    const report = usageReport(now(), {
      days: 250,
      products: Array.from({ length: 20 }, (_, i) => [`P${i}`, 'ENT'] as [string, string]),
      installed: 10,
      inUse: 12,
    });
    expect(report.records).toHaveLength(5_000);
    const response = await sendUsage(t.client, product, report, { gzip: true });
    expect(response.status).toBe(202);
    expect(response.json.accepted).toBe(5_000);
  });

  it('answers 413 above 2 MiB on the wire and above 4 MiB inflated, cutting a gzip bomb off', async () => {
    const product = await registered();
    const big = { ...base(), padding: 'x'.repeat(2 * 1024 * 1024) };
    const wire = await sendUsage(t.client, product, big);
    expect(wire.status).toBe(413);
    expect(wire.json.error).toBe('payload_too_large');
    // 100 MiB of spaces inflate from about 100 KiB of gzip.
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"reportId":"'), Buffer.alloc(100 * 1024 * 1024, 32)]));
    expect(bomb.length).toBeLessThan(2 * 1024 * 1024);
    const inflated = await t.client.post('/api/product/v1/usage', bomb, {
      as: product,
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(inflated.status).toBe(413);
    expect(inflated.json.error).toBe('payload_too_large');
  });

  it('answers 400 for a body that is not gzip and 415 for another encoding', async () => {
    const product = await registered();
    const notGzip = await sendUsage(t.client, product, base(), { headers: { 'content-encoding': 'gzip' } });
    expect(notGzip.status).toBe(400);
    const brotli = await sendUsage(t.client, product, base(), { headers: { 'content-encoding': 'br' } });
    expect(brotli.status).toBe(415);
  });

  it('answers 401 registration_removed after removal and stores nothing', async () => {
    const product = await registered();
    const removed = await t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, {
      as: session,
    });
    expect(removed.status).toBe(204);
    const response = await sendUsage(t.client, product, base());
    expect(response.status).toBe(401);
    expect(response.json.error).toBe('registration_removed');
    expect(await recordCount(product.registrationId)).toBe(0);
  });

  it('lets an upload land before a concurrent removal or be refused, never half', async () => {
    for (let i = 0; i < 5; i++) {
      const product = await registered();
      const report = usageReport(now(), { days: 30 });
      const [uploaded] = await Promise.all([
        sendUsage(t.client, product, report),
        t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, { as: session }),
      ]);
      expect([202, 401]).toContain(uploaded.status);
      expect(await recordCount(product.registrationId)).toBe(uploaded.status === 202 ? 30 : 0);
    }
  });

  it('keeps report ids per license server: another server may use the same id', async () => {
    const a = await registered();
    const b = await registered();
    const report = base();
    expect((await sendUsage(t.client, a, report)).status).toBe(202);
    expect((await sendUsage(t.client, b, report)).status).toBe(202);
  });

  it('keeps history across re-registration of the same server, and ids outlive the old registration', async () => {
    const instanceId = randomUUID();
    const first = await registered({ instanceId });
    const report = usageReport(now(), { days: 4 });
    await sendUsage(t.client, first, report);
    await t.client.delete(`/api/console/registrations/${first.registrationId}`, undefined, { as: session });
    const second = await registered({ instanceId });
    const retry = await sendUsage(t.client, second, report);
    expect(retry.json).toMatchObject({ duplicate: true });
    expect(await recordCount(second.registrationId)).toBe(4);
  });
});
