import { describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, registerProduct } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';

vi.setConfig({ testTimeout: 120_000 });

const t = useTestApp();

/**
 * A body with thousands of invalid fields is answered with a bounded error: at most 20
 * details, long keys and messages cut, the count of the rest, and 16 KiB at most.
 */
describe('validation errors are bounded', () => {
  it('answers a usage report of 5,000 wholly invalid records with 20 details in at most 16 KiB', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    const longKey = 'k'.repeat(300);
    const report = {
      ...usageReport(t.clock.now()),
      records: Array.from({ length: 5_000 }, () => ({
        periodStart: 'yesterday',
        periodEnd: 7,
        productCode: 'x'.repeat(100),
        edition: null,
        licenseModel: 'any',
        installed: -1,
        inUse: 'many',
        peakInUse: {},
        [longKey]: true,
      })),
    };
    const response = await sendUsage(t.client, product, report, { gzip: true });
    expect(response.status).toBe(400);
    expectCleanError(response, 'huge invalid report', JSON.stringify(report));
    expect(Buffer.byteLength(response.body)).toBeLessThanOrEqual(16 * 1024);
    const body = response.json as {
      error: string;
      details: { path: unknown[]; message: string }[];
      omittedDetails: number;
    };
    expect(body.error).toBe('invalid_request');
    expect(body.details.length).toBeGreaterThan(0);
    expect(body.details.length).toBeLessThanOrEqual(20);
    // Every record has at least nine faults: the rest are counted, not sent.
    expect(body.omittedDetails + body.details.length).toBeGreaterThanOrEqual(45_000);
    for (const detail of body.details) {
      expect(detail.message.length).toBeLessThanOrEqual(300);
      for (const segment of detail.path) expect(String(segment).length).toBeLessThanOrEqual(64);
    }
  });

  it('sends every detail and no count when there are few', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const response = await t.client.post(
      '/api/console/admins',
      { email: 'not an email', password: 'short', extra: 1 },
      { as: session },
    );
    expect(response.status).toBe(400);
    const body = response.json as { details: unknown[]; omittedDetails?: number };
    expect(body.details.length).toBeGreaterThan(1);
    expect(body.omittedDetails).toBeUndefined();
  });
});
