import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { MAX_PRODUCT_KEYS } from '../src/modules/usage/usage-ingestion.service.ts';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { reportWith, sendUsage, usageReport } from './helpers/usage.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const t = useTestApp();

const fresh = async () => (await createSignedInAdmin(t.app, t.db)).session;
const get = (s: SignedIn, url: string) => t.client.get(`/api/console${url}`, { as: s });
const dayStart = (daysAgo: number) => {
  const now = t.clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * 86_400_000);
};

/** A report of one record yesterday per product key `P<from>`…`P<to - 1>`. */
function keysReport(from: number, to: number): TUsageReport {
  const records: TUsageRecord[] = [];
  for (let i = from; i < to; i++)
    records.push({
      periodStart: dayStart(1).toISOString(),
      periodEnd: dayStart(0).toISOString(),
      productCode: `P${i}`,
      edition: 'E',
      licenseModel: 'user-device',
      installed: 10,
      inUse: 5,
      peakInUse: 6,
    });
  return reportWith(records, t.clock.now());
}

describe('JSON nested too deep', () => {
  it('answers 400 to uploads of a few KB that inflate to millions of brackets, and /healthz answers meanwhile', async () => {
    const s = await fresh();
    const product = await registerProduct(t.app, s);
    const deep = gzipSync(Buffer.from('['.repeat(4_000_000)));
    expect(deep.length).toBeLessThan(64 * 1024);
    const send = (body: Buffer, gzip: boolean) =>
      t.client.post('/api/product/v1/usage', body, {
        headers: {
          ...product.bearer,
          'content-type': 'application/json',
          ...(gzip && { 'content-encoding': 'gzip' }),
        },
      });
    const uploads = [
      ...Array.from({ length: 5 }, () => send(deep, true)),
      send(Buffer.from('['.repeat(1_000_000)), false),
      send(Buffer.from(`{"records":${'[{"a":'.repeat(20)}`), false),
    ];
    const health = t.client.get('/healthz');
    const [answers, healthz] = await Promise.all([Promise.all(uploads), health]);
    expect(healthz.status).toBe(200);
    for (const answer of answers) {
      expect(answer.status, answer.body).toBe(400);
      expect(answer.json).toMatchObject({
        error: 'invalid_request',
        message: expect.stringMatching(/deeper than 16/),
      });
    }
    // Brackets inside texts are not nesting: a product code of 40 '[' is a good report.
    const bracketed = usageReport(t.clock.now(), { products: [['['.repeat(40), '{{{{']] });
    expect((await sendUsage(t.client, product, bracketed, { gzip: true })).status).toBe(202);
  });

  it('refuses a usage file that nests too deep as not a usage file', async () => {
    const s = await fresh();
    const form = new FormData();
    form.append('files', new Blob([new Uint8Array(gzipSync(Buffer.from('['.repeat(4_000_000))))]), 'deep.json.gz');
    const response = await t.client.post('/api/console/usage-files', form, { as: s });
    expect(response.status, response.body).toBe(200);
    expect(response.json.results).toEqual([
      expect.objectContaining({ file: 'deep.json.gz', outcome: 'refused', error: 'invalid_file' }),
    ]);
  });
});

describe('product keys per report and per server', () => {
  it(`refuses a report with more than ${MAX_PRODUCT_KEYS} product keys, and stores nothing`, async () => {
    const s = await fresh();
    const product = await registerProduct(t.app, s);
    const response = await sendUsage(t.client, product, keysReport(0, MAX_PRODUCT_KEYS + 1), { gzip: true });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: 'too_many_product_keys', message: expect.stringMatching(/200/) });
    expect(await t.db.usageReport.count({ where: { customerId: s.customer.id } })).toBe(0);
  });

  it(`takes keys up to ${MAX_PRODUCT_KEYS} per server, then refuses new ones but not the ones it has`, async () => {
    const s = await fresh();
    const product = await registerProduct(t.app, s);
    expect((await sendUsage(t.client, product, keysReport(0, 150), { gzip: true })).status).toBe(202);
    expect((await sendUsage(t.client, product, keysReport(100, 200), { gzip: true })).status).toBe(202);
    const refused = await sendUsage(t.client, product, keysReport(190, 201), { gzip: true });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: 'too_many_product_keys' });
    // Keys the server already has stay welcome.
    expect((await sendUsage(t.client, product, keysReport(0, 200), { gzip: true })).status).toBe(202);
    const server = await t.db.licenseServer.findFirstOrThrow({ where: { customerId: s.customer.id } });
    const usage = (await get(s, `/license-servers/${server.id}/usage`)).json as { series: unknown[] };
    expect(usage.series).toHaveLength(MAX_PRODUCT_KEYS);
  });
});

describe('usage reads of days PostgreSQL has no date for', () => {
  it('answers 400 invalid_request to year 0000 on the overview and a server, JSON and CSV alike', async () => {
    const s = await fresh();
    const product = await registerProduct(t.app, s);
    expect((await sendUsage(t.client, product, usageReport(t.clock.now()))).status).toBe(202);
    const server = await t.db.licenseServer.findFirstOrThrow({ where: { customerId: s.customer.id } });
    for (const path of [
      '/usage/overview',
      '/usage/overview.csv',
      `/license-servers/${server.id}/usage`,
      `/license-servers/${server.id}/usage.csv`,
    ])
      for (const query of ['from=0000-01-01&to=0000-01-05', 'to=0000-12-31', 'from=0000-02-29&to=2026-01-01']) {
        const response = await get(s, `${path}?${query}`);
        expect(response.status, `${path}?${query}: ${response.body}`).toBe(400);
        expect(response.json).toMatchObject({ error: 'invalid_request' });
      }
  });
});

describe('Delete data of a server without usage', () => {
  it('audits the delete but writes no usage.deleted event; with records deleted it does', async () => {
    const s = await fresh();
    await addWebhookChannel(t.client, s, 'http://127.0.0.1:9/hooks', ['usage.deleted']);
    const product = await registerProduct(t.app, s);
    const server = await t.db.licenseServer.findFirstOrThrow({ where: { customerId: s.customer.id } });
    const deleteData = () =>
      t.client.delete(
        `/api/console/license-servers/${server.id}/usage`,
        { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
        { as: s },
      );
    const nothing = await deleteData();
    expect(nothing.json).toEqual({ deletedRecords: 0 });
    const events = () => t.db.notificationEvent.findMany({ where: { customerId: s.customer.id } });
    expect(await events()).toEqual([]);
    expect(await t.db.auditEvent.count({ where: { customerId: s.customer.id, action: 'usage.deleted' } })).toBe(1);

    expect((await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 3 }))).status).toBe(202);
    expect((await deleteData()).json).toEqual({ deletedRecords: 3 });
    expect((await events()).map((e) => [e.type, (e.data as { deletedRecords: number }).deletedRecords])).toEqual([
      ['usage.deleted', 3],
    ]);
  });
});

describe('CSV exports and line breaks', () => {
  const HOSTILE = 'Evil\n=2+5+cmd|"/c calc"!A0\r@SUM(1+1)\r\n+CMD(1)\n-1';
  /** Read back as a lenient spreadsheet would: a lone CR or LF ends a row too. */
  const rowsOf = (body: string) => parse(body, { record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
  const noFormulaCell = (rows: string[][]) => {
    for (const cell of rows.flat()) expect(cell, JSON.stringify(cell)).not.toMatch(/^[=+\-@\t\r]/);
  };

  it('keeps a line break inside its cell in the registrations, usage and audit exports (also as an API client names it)', async () => {
    const s = await fresh();
    const product = await registerProduct(t.app, s);
    // Straight in the database: whatever the code request lets in, the export must hold.
    await t.db.registration.update({ where: { id: product.registrationId }, data: { serverName: HOSTILE } });
    const registrations = rowsOf((await get(s, '/registrations.csv')).body);
    expect(registrations).toHaveLength(2);
    expect(registrations[1]![1]).toBe(HOSTILE);

    const report = usageReport(t.clock.now(), { products: [[HOSTILE, '\r=HYPERLINK("x")']] });
    expect((await sendUsage(t.client, product, report)).status).toBe(202);
    const server = await t.db.licenseServer.findFirstOrThrow({ where: { customerId: s.customer.id } });
    for (const path of [`/license-servers/${server.id}/usage.csv`, '/usage/overview.csv']) {
      // Days without a report are rows with empty values: keep the header and the reported day.
      const usage = rowsOf((await get(s, path)).body).filter((row, i) => i === 0 || row[5] !== '');
      expect(usage, path).toHaveLength(2);
      expect(usage[1]!.slice(1, 3)).toEqual([HOSTILE, '\'\r=HYPERLINK("x")']);
      noFormulaCell(usage);
    }

    await t.db.auditEvent.create({
      data: {
        customerId: s.customer.id,
        at: t.clock.now(),
        actorType: 'api-client',
        actorId: randomUUID(),
        actorLabel: `Reporting client\n=2+5`,
        action: 'usage.deleted',
        targetType: 'license_server',
        targetId: server.id,
        targetLabel: HOSTILE,
      },
    });
    const audit = rowsOf((await get(s, '/audit-events.csv')).body);
    const header = audit[0]!;
    const ours = audit.filter((row) => row[header.indexOf('targetLabel')] === HOSTILE);
    expect(ours).toHaveLength(1);
    expect(ours[0]![header.indexOf('actorLabel')]).toBe('Reporting client\n=2+5');
    expect(audit.every((row) => row.length === header.length)).toBe(true);
    noFormulaCell(audit);
  });
});
