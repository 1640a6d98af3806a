import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, registerProduct, requestCode, type SignedIn } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';

// Real password hashing and many requests on a machine shared with other test files: room to finish.
vi.setConfig({ testTimeout: 120_000 });

/** Races that must have one outcome, each run several times (a race won once by luck proves little). */
// Many code requests from one test address: the per-address flood guard is not under test here.
const t = useTestApp({ LIMIT_CODE_REQUESTS_PER_MINUTE: 100_000 });
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const ROUNDS = 6;
const consolePost = (url: string, code: string, s: SignedIn = session) =>
  t.client.post(`/api/console${url}`, { code }, { as: s });
const poll = (pollToken: string) => t.client.post('/api/product/v1/codes/poll', { pollToken });
const heartbeat = (product: { credential: string }) => t.client.get('/api/product/v1/registration', { as: product });
const registered = (overrides = {}) => registerProduct(t.app, session, overrides, () => t.clock.advance(5_000));
const recordsOf = async (registrationId: string) => {
  const { licenseServerId } = await t.db.registration.findUniqueOrThrow({ where: { id: registrationId } });
  return t.db.usageRecord.count({ where: { licenseServerId } });
};
const auditFor = (id: string) => t.db.auditEvent.findMany({ where: { targetId: id } });

describe('register and deny of one code, at once', () => {
  it('has exactly one outcome, and the product, the database and the audit log agree on it', async () => {
    const { session: colleague } = await createSignedInAdmin(t.app, t.db, session.customer.id);
    for (let round = 0; round < ROUNDS * 2; round++) {
      const instanceId = randomUUID();
      const { code, pollToken } = await requestCode(t.app, { instanceId });
      t.clock.advance(5_000);
      // Two registers and two denies, from two admins of the customer, with the product polling meanwhile.
      const [r1, d1, r2, d2, polled] = await Promise.all([
        consolePost('/registrations', code),
        consolePost('/registrations/deny', code, colleague),
        consolePost('/registrations', code, colleague),
        consolePost('/registrations/deny', code),
        poll(pollToken),
      ]);
      const answers = [r1, d1, r2, d2];
      const winners = answers.filter((a) => a.status === 201 || a.status === 204);
      expect(winners, `round ${round}`).toHaveLength(1);
      for (const loser of answers.filter((a) => !winners.includes(a))) {
        expect(loser.status).toBe(409);
        expect(loser.json.error).toBe('code_already_used');
      }
      const wasRegistered = winners[0]!.status === 201;
      // The poll sent during the race saw pending or the final outcome, never the other one.
      expect([202, wasRegistered ? 200 : 403]).toContain(polled.status);
      const row = await t.db.registrationCode.findFirstOrThrow({ where: { instanceId } });
      expect(row.status).toBe(wasRegistered ? 'registered' : 'denied');
      const registrations = await t.db.registration.findMany({ where: { instanceId } });
      expect(registrations).toHaveLength(wasRegistered ? 1 : 0);
      const audit = await t.db.auditEvent.findMany({
        where: {
          action: { in: ['registration.created', 'registration.denied'] },
          targetId: { in: [row.id, ...registrations.map((r) => r.id)] },
        },
      });
      expect(audit.map((e) => e.action)).toEqual([wasRegistered ? 'registration.created' : 'registration.denied']);
      // Afterwards every poll says the same.
      t.clock.advance(10_000);
      const after = await poll(pollToken);
      if (wasRegistered) expect([200, 410]).toContain(after.status);
      else expect(after.status).toBe(403);
    }
  });

  it('gives a code to one customer only when two customers race for it', async () => {
    const other = (await createSignedInAdmin(t.app, t.db)).session;
    for (let round = 0; round < ROUNDS; round++) {
      const instanceId = randomUUID();
      const { code, pollToken } = await requestCode(t.app, { instanceId });
      const [mine, theirs] = await Promise.all([
        consolePost('/registrations', code),
        consolePost('/registrations', code, other),
      ]);
      expect([mine.status, theirs.status].sort()).toEqual([201, 409]);
      const winner = mine.status === 201 ? session : other;
      t.clock.advance(5_000);
      const polled = await poll(pollToken);
      expect(polled.status).toBe(200);
      expect(polled.json.customer.id).toBe(winner.customer.id);
      const rows = await t.db.registration.findMany({ where: { instanceId } });
      expect(rows.map((r) => r.customerId)).toEqual([winner.customer.id]);
    }
  });
});

describe('re-registration of one server, at once', () => {
  it('leaves exactly one active registration when two codes of the same server are registered together', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const instanceId = randomUUID();
      const codes = await Promise.all([
        requestCode(t.app, { instanceId }),
        requestCode(t.app, { instanceId }),
        requestCode(t.app, { instanceId }),
      ]);
      const answers = await Promise.all(codes.map((c) => consolePost('/registrations', c.code)));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201]);
      const active = await t.db.registration.findMany({
        where: { customerId: session.customer.id, instanceId, removedAt: null },
      });
      expect(active, `round ${round}`).toHaveLength(1);
      const replaced = await t.db.registration.findMany({
        where: { customerId: session.customer.id, instanceId, removedAt: { not: null } },
      });
      expect(replaced.map((r) => r.removedReason)).toEqual(['replaced', 'replaced']);
      expect(await t.db.licenseServer.count({ where: { customerId: session.customer.id, instanceId } })).toBe(1);
      // Of the three credentials, only the active registration's works.
      t.clock.advance(5_000);
      const credentials = await Promise.all(
        codes.map(async (c) => (await poll(c.pollToken)).json as { registrationId: string; credential: string }),
      );
      for (const { registrationId, credential } of credentials) {
        const answer = await heartbeat({ credential });
        expect(answer.status).toBe(registrationId === active[0]!.id ? 200 : 401);
      }
    }
  });
});

describe('uploads at once', () => {
  it('stores concurrent duplicates once, gzip or not, round after round', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const product = await registered();
      const report = usageReport(t.clock.now(), {
        days: 4,
        products: [
          ['XDT', 'PLT'],
          ['XA', 'ENT'],
        ],
      });
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) => sendUsage(t.client, product, report, { gzip: i % 2 === 1 })),
      );
      expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
      expect(answers.filter((a) => a.status === 200).map((a) => a.json)).toEqual(
        Array(7).fill({ reportId: report.reportId, accepted: 0, duplicate: true }),
      );
      expect(await recordsOf(product.registrationId)).toBe(8);
      expect(await t.db.usageReport.count({ where: { reportId: report.reportId } })).toBe(1);
    }
  });

  it('keeps one body when one report id comes with different bodies at once: the rest are duplicates or conflicts', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const product = await registered();
      const base = usageReport(t.clock.now(), { days: 3 });
      const bodies = [1, 2, 3].map((n) => ({ ...base, records: base.records.slice(0, n) }));
      const answers = await Promise.all([...bodies, ...bodies].map((body) => sendUsage(t.client, product, body)));
      const winners = answers.filter((a) => a.status === 202);
      expect(winners).toHaveLength(1);
      const accepted = winners[0]!.json.accepted as number;
      answers.forEach((a, i) => {
        if (a === winners[0]) return;
        const sameBody = bodies[i % 3]!.records.length === accepted;
        expect(a.status, `answer ${i}`).toBe(sameBody ? 200 : 409);
      });
      expect(await recordsOf(product.registrationId)).toBe(accepted);
    }
  });

  it('stores every one of many different reports sent at once', async () => {
    const product = await registered();
    const reports = Array.from({ length: 12 }, (_, i) =>
      usageReport(new Date(t.clock.now().getTime() - i * 24 * 3600_000), { days: 1, products: [[`P${i}`, 'STD']] }),
    );
    const answers = await Promise.all(reports.map((r, i) => sendUsage(t.client, product, r, { gzip: i % 2 === 0 })));
    expect(answers.map((a) => a.status)).toEqual(Array(12).fill(202));
    expect(await recordsOf(product.registrationId)).toBe(12);
  });
});

describe('removal while the product is busy', () => {
  it('lands an upload before the removal or refuses it, never half; removes once, audited once', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const product = await registered();
      const report = usageReport(t.clock.now(), { days: 40 });
      const removeByAdmin = () =>
        t.client.delete(`/api/console/registrations/${product.registrationId}`, undefined, { as: session });
      const [uploaded, a1, beat, a2, self] = await Promise.all([
        sendUsage(t.client, product, report, { gzip: round % 2 === 0 }),
        removeByAdmin(),
        heartbeat(product),
        removeByAdmin(),
        t.client.delete('/api/product/v1/registration', undefined, { as: product }),
      ]);
      expect([a1.status, a2.status]).toEqual([204, 204]);
      expect([204, 401]).toContain(self.status);
      expect([200, 401]).toContain(beat.status);
      expect([202, 401]).toContain(uploaded.status);
      if (uploaded.status === 401) expect(uploaded.json.error).toBe('registration_removed');
      expect(await recordsOf(product.registrationId)).toBe(uploaded.status === 202 ? 40 : 0);
      const removals = (await auditFor(product.registrationId)).filter((e) => e.action === 'registration.removed');
      expect(removals, `round ${round}`).toHaveLength(1);
      expect((await heartbeat(product)).json.error).toBe('registration_removed');
    }
  });

  it('deletes usage data all at once while uploads keep coming: what was deleted and what stayed add up', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const product = await registered();
      const { licenseServerId } = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
      expect((await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 10 }))).status).toBe(202);
      const reports = Array.from({ length: 4 }, (_, i) =>
        usageReport(t.clock.now(), { days: 5, products: [[`R${i}`, 'STD']] }),
      );
      const [deleted, ...uploads] = await Promise.all([
        t.client.delete(
          `/api/console/license-servers/${licenseServerId}/usage`,
          { acknowledgePermanent: true, acknowledgeCollectionContinues: true },
          { as: session },
        ),
        ...reports.map((r) => sendUsage(t.client, product, r)),
      ]);
      expect(deleted.status).toBe(200);
      expect(uploads.map((u) => u.status)).toEqual([202, 202, 202, 202]);
      const remaining = await t.db.usageRecord.count({ where: { licenseServerId } });
      expect(deleted.json.deletedRecords + remaining, `round ${round}`).toBe(10 + 4 * 5);
      // Whole reports only: each remaining product has all five days or none.
      const perProduct = await t.db.usageRecord.groupBy({
        by: ['productCode'],
        where: { licenseServerId },
        _count: true,
      });
      for (const group of perProduct) expect([5, 10]).toContain(group._count);
    }
  });
});
