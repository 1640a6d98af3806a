import { randomUUID } from 'node:crypto';
import type { TEventData } from '@reg/contracts/events';
import type { TUsageRecord, TUsageReport } from '@reg/contracts/usage-api';
import { describe, expect, it } from 'vitest';
import { OVERDRAFT_NOTICE_DAYS } from '../src/modules/usage/usage-ingestion.service.ts';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct } from './helpers/factories.ts';
import { useWebhookReceiver } from './helpers/receivers.ts';
import { reportWith, sendUsage } from './helpers/usage.ts';
import { addWebhookChannel } from './helpers/channels.ts';

const receiver = useWebhookReceiver();
const t = useTestApp();

const DAY = 86_400_000;
const dayStart = (daysAgo: number) => {
  const now = t.clock.now();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY);
};
const dayOf = (daysAgo: number) => dayStart(daysAgo).toISOString().slice(0, 10);

/**
 * 90 days up to today for three product keys, a record per 15 minutes (as a License Server
 * keeps them), in overdraft on every other day: 45 runs of overdraft per key, each its own
 * start. Today's peak is the highest.
 */
function sample(): TUsageReport {
  const records: TUsageRecord[] = [];
  for (const productCode of ['XDT', 'XMP', 'XCE'])
    for (let d = 90; d >= 0; d--)
      for (let q = 0; q < 96; q += 8) {
        const start = dayStart(d).getTime() + q * 15 * 60_000;
        const over = d % 2 === 0;
        records.push({
          periodStart: new Date(start).toISOString(),
          periodEnd: new Date(start + 15 * 60_000).toISOString(),
          productCode,
          edition: 'PLT',
          licenseModel: 'user-device',
          installed: 10,
          inUse: over ? 12 : 4,
          peakInUse: over ? 12 + (d === 0 ? 5 : 0) : 6,
        });
      }
  return reportWith(records, t.clock.now());
}

describe('usage.overdraft', () => {
  it('is one event per server and product key per upload, for the days of the notice window only', async () => {
    // Late in the day, so "today" has all its periods behind it.
    t.clock.set(new Date(dayStart(0).getTime() + 23.9 * 3600_000));
    const { session } = await createSignedInAdmin(t.app, t.db);
    await addWebhookChannel(t.client, session, receiver.url, ['usage.overdraft']);
    const product = await registerProduct(t.app, session, { serverName: 'Overdrawn' });
    const report = sample();
    expect((await sendUsage(t.client, product, report, { gzip: true })).status).toBe(202);
    // The same days again in a later report: announced already.
    expect((await sendUsage(t.client, product, { ...sample(), reportId: randomUUID() }, { gzip: true })).status).toBe(
      202,
    );

    await t.app.services.notifications.deliverDue();
    const bodies = receiver.received
      .map((r) => JSON.parse(r.body) as { type: string; data: TEventData['usage.overdraft'] })
      .filter((b) => b.type === 'usage.overdraft' && b.data.server.serverName === 'Overdrawn');
    expect(OVERDRAFT_NOTICE_DAYS).toBe(2);
    // In the window (today and the two days before): today and two days ago start a run.
    expect(bodies.map((b) => b.data.productCode).sort()).toEqual(['XCE', 'XDT', 'XMP']);
    for (const { data } of bodies)
      expect(data).toMatchObject({
        server: { registrationId: product.registrationId, serverName: 'Overdrawn' },
        edition: 'PLT',
        licenseModel: 'user-device',
        days: [dayOf(2), dayOf(0)],
        day: dayOf(0),
        installed: 10,
        peakInUse: 17,
      });
  });
});
