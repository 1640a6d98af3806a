import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import type { FastifyInstance } from 'fastify';
import type { TestClient, Who } from './client.ts';

const DAY = 24 * 3600_000;
const dayStart = (now: Date, daysAgo: number) =>
  new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY);

/** One daily record per product/edition over the last `days` days, ending yesterday. */
export function usageReport(
  now: Date,
  options: {
    days?: number;
    products?: [string, string][];
    installed?: number;
    inUse?: number;
    collectedAt?: Date;
  } = {},
): TUsageReport {
  const records: TUsageRecord[] = [];
  for (let d = options.days ?? 1; d >= 1; d--) {
    for (const [productCode, edition] of options.products ?? [['XDT', 'PLT']]) {
      records.push({
        periodStart: dayStart(now, d).toISOString(),
        periodEnd: dayStart(now, d - 1).toISOString(),
        productCode,
        edition,
        licenseModel: 'user-device',
        installed: options.installed ?? 500,
        inUse: options.inUse ?? 312,
        peakInUse: (options.inUse ?? 312) + 28,
      });
    }
  }
  return reportWith(records, options.collectedAt ?? now);
}

/** A report of these records, collected at `collectedAt`, as a License Server sends it. */
export const reportWith = (records: TUsageRecord[], collectedAt: Date): TUsageReport => ({
  reportId: randomUUID(),
  collectedAt: collectedAt.toISOString(),
  server: { productVersion: '11.17.2.0' },
  records,
});

/** A usage upload as the product sends it (JSON, or gzipped JSON), through the typed client. */
export function sendUsage(
  client: TestClient,
  product: Who,
  report: unknown,
  options: { gzip?: boolean; headers?: Record<string, string> } = {},
) {
  const json = Buffer.from(JSON.stringify(report));
  return client.post('/api/product/v1/usage', options.gzip ? gzipSync(json) : json, {
    as: product,
    headers: {
      'content-type': 'application/json',
      ...(options.gzip && { 'content-encoding': 'gzip' }),
      ...options.headers,
    },
  });
}

/** The same over app.inject with raw headers; only for the tests not yet on the typed client. */
export function upload(
  app: FastifyInstance,
  bearer: Record<string, string>,
  report: unknown,
  options: { gzip?: boolean; headers?: Record<string, string> } = {},
) {
  const json = Buffer.from(JSON.stringify(report));
  return app.inject({
    method: 'POST',
    url: '/api/product/v1/usage',
    payload: options.gzip ? gzipSync(json) : json,
    headers: {
      ...bearer,
      'content-type': 'application/json',
      ...(options.gzip && { 'content-encoding': 'gzip' }),
      ...options.headers,
    },
  });
}
