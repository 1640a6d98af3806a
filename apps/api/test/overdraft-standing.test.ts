import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { dayFrom, keyRecord } from './helpers/entitlements.ts';
import { createSignedInAdmin, registerProduct } from './helpers/factories.ts';
import { useWebhookReceiver } from './helpers/receivers.ts';
import { reportWith, upload } from './helpers/usage.ts';
import { addWebhookChannel } from './helpers/channels.ts';

/** usage.overdraft decides from the records that stand (per period the one collected last), not from replaced ones. */
const receiver = useWebhookReceiver();
const t = useTestApp();
beforeAll(async () => {
  const now = t.clock.now();
  t.clock.set(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23));
});

describe('usage.overdraft reads the records that stand', () => {
  it('a day whose overdraft a later report took back does not hold back the next day’s; a replaced record raises none', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    await addWebhookChannel(t.client, session, receiver.url, ['usage.overdraft']);
    const product = await registerProduct(t.app, session, { serverName: 'Standing' });
    const now = t.clock.now();
    const at = (seconds: number) => new Date(now.getTime() - 60_000 + seconds * 1000);
    const over = { installed: 10, inUse: 9, peakInUse: 12 };
    const within = { installed: 10, inUse: 4, peakInUse: 5 };
    const send = async (records: Parameters<typeof reportWith>[0], collectedAt: Date) =>
      expect((await upload(t.app, product.bearer, reportWith(records, collectedAt))).statusCode).toBe(202);

    // XDT: yesterday over, then corrected; today over: both announced.
    await send([keyRecord(now, 1, over)], at(1));
    await send([keyRecord(now, 1, within)], at(2));
    await send([keyRecord(now, 0, over)], at(3));
    // XA: two days ago within (collected last), and an older report saying over arrives late.
    await send([keyRecord(now, 2, { ...within, productCode: 'XA' })], at(5));
    await send([keyRecord(now, 2, { ...over, productCode: 'XA' })], at(4));
    await t.app.services.notifications.deliverDue();

    const days = receiver.received
      .map((r) => JSON.parse(r.body))
      .filter((b) => b.data.server.serverName === 'Standing')
      .map((b) => `${b.data.productCode} ${b.data.day}`);
    expect(days.sort()).toEqual([`XDT ${dayFrom(now, -1)}`, `XDT ${dayFrom(now, 0)}`]);
  });
});
