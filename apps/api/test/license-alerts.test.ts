import type { TUsageRecord } from '@reg/contracts/usage-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, useTestApp } from './helpers/app.ts';
import { dayFrom, keyRecord } from './helpers/entitlements.ts';
import { createSignedInAdmin, registerProduct } from './helpers/factories.ts';
import { mailText, useSmtpServer, useWebhookReceiver } from './helpers/receivers.ts';
import { reportWith, upload } from './helpers/usage.ts';
import { addWebhookChannel } from './helpers/channels.ts';

/**
 * The licenses.* events end to end: uploads, the sweep of two app instances over one database
 * running at once, and a real webhook receiver and SMTP server that must get each event once.
 */
let other: TestApp;
const receiver = useWebhookReceiver();
const smtp = useSmtpServer();
const t = useTestApp(() => ({ SMTP_URL: smtp.url }));
const DAY = 86_400_000;
const LICENSE_EVENTS = ['licenses.expiring', 'licenses.expired', 'licenses.insufficient', 'licenses.sufficient'];

beforeAll(async () => {
  other = await createTestApp({ SMTP_URL: smtp.url });
  const now = t.clock.now();
  setClock(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12));
});
afterAll(async () => {
  await other.app.close();
});

function setClock(at: number) {
  t.clock.set(at);
  other.clock.set(at);
}
const now = () => t.clock.now();
const day = (days: number) => dayFrom(now(), days);
const passDays = (days: number) => setClock(now().getTime() + days * DAY);

/** Two instances, two sweeps each, all at once; then everything due is sent. */
async function sweepEverywhere() {
  await Promise.all([
    t.app.services.notifications.sweep(),
    other.app.services.notifications.sweep(),
    t.app.services.notifications.sweep(),
    other.app.services.notifications.sweep(),
  ]);
  await t.app.services.notifications.deliverDue();
  await other.app.services.notifications.deliverDue();
}

interface Received {
  type: string;
  data: Record<string, unknown> & { customer: { id: string }; server: { serverName: string } };
}

/** A customer with a webhook and a confirmed email channel for the licenses.* events, and a server. */
async function setUp(serverName: string) {
  const { session, admin } = await createSignedInAdmin(t.app, t.db);
  const address = `alerts-${serverName.toLowerCase()}@example.com`;
  for (const payload of [
    { type: 'webhook', url: receiver.url, events: LICENSE_EVENTS },
    { type: 'email', address, events: LICENSE_EVENTS },
  ]) {
    const created = await t.client.post('/api/console/notification-channels', payload, { as: session });
    expect(created.status, created.body).toBe(201);
  }
  // Confirmed as someone at the address would (notification-confirmation.test.ts covers the link).
  await t.db.notificationChannel.updateMany({ where: { address }, data: { confirmedAt: now() } });
  const product = await registerProduct(t.app, session, { serverName });
  const customerId = admin.customerId;
  const hooks = () =>
    receiver.received
      .map((r) => JSON.parse(r.body) as Received)
      .filter((b) => b.data.customer.id === customerId && LICENSE_EVENTS.includes(b.type));
  const mails = () =>
    smtp.mails
      .filter((m) => m.to.includes(address) && !m.raw.includes('Confirm this address'))
      .map((m) => mailOf(m.raw));
  const send = async (records: TUsageRecord[], collectedAt = now()) =>
    expect((await upload(t.app, product.bearer, reportWith(records, collectedAt))).statusCode).toBe(202);
  return { session, product, hooks, mails, send, customerId };
}

/** A received mail's subject (its header unfolded) and text. */
function mailOf(raw: string) {
  const head = raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
  return { subject: /^Subject: (.*)$/m.exec(head)![1]!, text: mailText(raw) };
}
const subjects = (mails: { subject: string }[]) => mails.map((m) => m.subject.replace('[License Registration] ', ''));

const summary = (b: Received) =>
  b.type === 'licenses.expiring' || b.type === 'licenses.expired'
    ? `${b.type} ${String(b.data.field)} ${String(b.data.date)} ${String(b.data.daysLeft)} ${String(b.data.threshold ?? '-')}`
    : `${b.type} ${String(b.data.inUse)}/${String(b.data.installed)}`;

describe('licenses.expiring and licenses.expired', () => {
  it('a date first seen 20 days ahead: 30, then 7, then 1, then expired, each once to each channel', async () => {
    const s = await setUp('Twenty');
    const expires = day(20);
    await s.send([keyRecord(now(), 1, { expiresAt: expires })]);
    await sweepEverywhere();
    await sweepEverywhere();
    passDays(12); // 8 days left: still 30
    await sweepEverywhere();
    passDays(1); // 7
    await sweepEverywhere();
    passDays(3); // 4: still 7
    await sweepEverywhere();
    passDays(3); // 1
    await sweepEverywhere();
    passDays(1); // the day itself
    await sweepEverywhere();
    passDays(2);
    await sweepEverywhere();
    expect(s.hooks().map(summary)).toEqual([
      `licenses.expiring expiresAt ${expires} 20 30`,
      `licenses.expiring expiresAt ${expires} 7 7`,
      `licenses.expiring expiresAt ${expires} 1 1`,
      `licenses.expired expiresAt ${expires} 0 -`,
    ]);
    expect(s.hooks()[0]!.data).toMatchObject({
      server: { serverName: 'Twenty', registrationId: s.product.registrationId },
      productCode: 'XDT',
      edition: 'PLT',
      licenseModel: 'user-device',
      installed: 100,
    });
    const mails = s.mails();
    expect(subjects(mails)).toEqual([
      `XDT PLT (user-device) licenses on Twenty expire in 20 days (${expires})`,
      `XDT PLT (user-device) licenses on Twenty expire in 7 days (${expires})`,
      `XDT PLT (user-device) licenses on Twenty expire in 1 days (${expires})`,
      `XDT PLT (user-device) licenses on Twenty expired on ${expires}`,
    ]);
    expect(mails[0]!.text).toContain('Warning threshold (days): "30"');
    expect(mails[0]!.text).toContain(`Date: "${expires}"`);
    expect(mails[0]!.text).toContain('Open: http://localhost:8080/licensing/entitlements');
  });

  it('a date first seen 5 days ahead gives 7, 1 and expired; one already past gives expired only', async () => {
    const s = await setUp('Five');
    const soon = day(5);
    const past = day(-3);
    await s.send([
      keyRecord(now(), 1, { expiresAt: soon }),
      keyRecord(now(), 1, { productCode: 'XA', maintenanceEndsAt: past }),
    ]);
    await sweepEverywhere();
    passDays(4);
    await sweepEverywhere();
    passDays(1);
    await sweepEverywhere();
    expect(s.hooks().map(summary).sort()).toEqual(
      [
        `licenses.expiring expiresAt ${soon} 5 7`,
        `licenses.expired maintenanceEndsAt ${past} -3 -`,
        `licenses.expiring expiresAt ${soon} 1 1`,
        `licenses.expired expiresAt ${soon} 0 -`,
      ].sort(),
    );
    expect(subjects(s.mails())).toContain(
      `Customer Success Services for XA PLT (user-device) on Five ended on ${past}`,
    );
  });

  it('a changed date starts afresh; the old date is not announced again; the fields are independent', async () => {
    const s = await setUp('Renewed');
    const first = day(20);
    await s.send([keyRecord(now(), 2, { expiresAt: first, maintenanceEndsAt: day(6) })]);
    await sweepEverywhere();
    // Renewed: the latest record's date is a year ahead, so nothing more for either date…
    await s.send([keyRecord(now(), 1, { expiresAt: day(365), maintenanceEndsAt: day(6) })]);
    await sweepEverywhere();
    // …and corrected to 25 days ahead: the new date's own 30.
    const corrected = day(25);
    await s.send(
      [keyRecord(now(), 1, { expiresAt: corrected, maintenanceEndsAt: day(6) })],
      new Date(now().getTime() + 1000),
    );
    await sweepEverywhere();
    // Back to the first date: its 30 was announced already.
    await s.send([keyRecord(now(), 0, { expiresAt: first, maintenanceEndsAt: day(6) })]);
    await sweepEverywhere();
    expect(s.hooks().map(summary).sort()).toEqual([
      `licenses.expiring expiresAt ${first} 20 30`,
      `licenses.expiring expiresAt ${corrected} 25 30`,
      `licenses.expiring maintenanceEndsAt ${day(6)} 6 7`,
    ]);
    expect(subjects(s.mails())).toContain(
      `Customer Success Services for XDT PLT (user-device) on Renewed end in 6 days (${day(6)})`,
    );
  });
});

describe('licenses.insufficient and licenses.sufficient', () => {
  it('is once per transition, from the latest record; a late old record changes nothing', async () => {
    const s = await setUp('Short');
    await s.send([keyRecord(now(), 2, { installed: 10, inUse: 12, peakInUse: 12 })]);
    await sweepEverywhere();
    await sweepEverywhere();
    // Still short on a newer day: no new event.
    await s.send([keyRecord(now(), 1, { installed: 10, inUse: 11, peakInUse: 11 })]);
    await sweepEverywhere();
    // Enough again on the newest day.
    await s.send([keyRecord(now(), 0, { installed: 20, inUse: 11, peakInUse: 11 })]);
    await sweepEverywhere();
    // A late record for an old day, short: the latest record stays the newest day's.
    await s.send([keyRecord(now(), 5, { installed: 10, inUse: 30, peakInUse: 30 })]);
    await sweepEverywhere();
    expect(s.hooks().map(summary)).toEqual(['licenses.insufficient 12/10', 'licenses.sufficient 11/20']);
    expect(s.hooks()[0]!.data.periodStart).toBe(`${day(-2)}T00:00:00.000Z`);
    expect(subjects(s.mails())).toEqual([
      'Short is short of XDT PLT (user-device) licenses: 12 in use, 10 installed',
      'Short has enough XDT PLT (user-device) licenses again: 11 in use, 20 installed',
    ]);
    expect(s.mails()[0]!.text).toContain('In use: "12"');
  });

  it('claims a transition when no channel wants it: a channel added later is not sent it', async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const product = await registerProduct(t.app, session, { serverName: 'Quiet' });
    await upload(
      t.app,
      product.bearer,
      reportWith([keyRecord(now(), 1, { installed: 1, inUse: 2, expiresAt: day(3) })], now()),
    );
    await sweepEverywhere();
    await addWebhookChannel(t.client, session, receiver.url, LICENSE_EVENTS);
    await sweepEverywhere();
    const quiet = receiver.received.filter((r) => r.body.includes('"Quiet"'));
    expect(quiet).toEqual([]);
  });
});
