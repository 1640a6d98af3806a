import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, registerProduct, requestCode, type SignedIn } from '../helpers/factories.ts';
import { sendUsage, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';

/**
 * Two customers, each with a registered server, usage, a removed registration, a registered
 * code and a denied code. Each admin tries every console endpoint with the other's ids and
 * codes: always 404 (or the code's own error), never the other's data, nothing changed.
 */
const t = useTestApp();

interface Tenant {
  session: SignedIn;
  marker: string;
  registrationId: string;
  removedRegistrationId: string;
  licenseServerId: string;
  instanceId: string;
  registeredCode: string;
  deniedCode: string;
  credential: string;
}

async function makeTenant(label: string): Promise<Tenant> {
  const { session } = await createSignedInAdmin(t.app, t.db);
  const marker = `${label}-${crypto.randomUUID().slice(0, 8)}`;
  const instanceId = crypto.randomUUID();
  const product = await registerProduct(
    t.app,
    session,
    { serverName: `${marker} server`, hostname: `${marker}.corp.example.com`, instanceId },
    () => t.clock.advance(5_000),
  );
  expect((await sendUsage(t.client, product, usageReport(t.clock.now(), { days: 3 }))).status).toBe(202);
  const removed = await registerProduct(t.app, session, { serverName: `${marker} removed` }, () =>
    t.clock.advance(5_000),
  );
  await t.client.delete(`/api/console/registrations/${removed.registrationId}`, undefined, { as: session });
  const denied = await requestCode(t.app, { serverName: `${marker} denied` });
  expect((await t.client.post('/api/console/registrations/deny', { code: denied.code }, { as: session })).status).toBe(
    204,
  );
  const registration = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
  return {
    session,
    marker,
    registrationId: product.registrationId,
    removedRegistrationId: removed.registrationId,
    licenseServerId: registration.licenseServerId,
    instanceId,
    registeredCode: product.code.code,
    deniedCode: denied.code,
    credential: product.credential,
  };
}

/** Everything that would give the other customer's data away, were it in a body. */
const secretsOf = (tenant: Tenant) => [
  tenant.marker,
  tenant.session.customer.id,
  tenant.session.customer.name,
  tenant.session.admin.email,
  tenant.session.admin.id,
  tenant.instanceId,
];

const codeStates = async () =>
  Object.fromEntries(
    (await t.db.registrationCode.groupBy({ by: ['status'], _count: true })).map((g) => [g.status, g._count]),
  );

describe('customer isolation', () => {
  it('answers every console endpoint with 404 or the code error for the other customer, never with data', async () => {
    const a = await makeTenant('alpha');
    const b = await makeTenant('bravo');
    const before = {
      usage: await t.db.usageRecord.count(),
      registrations: await t.db.registration.count({ where: { removedAt: null } }),
      codes: await codeStates(),
      audit: await t.db.auditEvent.count(),
    };
    let probes = 0;

    for (const [me, other] of [
      [a, b],
      [b, a],
    ] as const) {
      const leaks = secretsOf(other);
      const send = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
        probes++;
        const path = `/api/console${url}`;
        const as = { as: me.session };
        const response = await t.client.send(method, path, method === 'GET' ? undefined : payload, as);
        for (const leak of leaks) expect(response.body, `${method} ${url} shows ${leak}`).not.toContain(leak);
        return response;
      };
      const expectNotFound = async (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => {
        const response = await send(method, url, payload);
        expect(response.status, `${method} ${url}`).toBe(404);
        expect(expectCleanError(response, `${method} ${url}`).error).toBe('not_found');
      };

      // By id: registrations (active and removed), license servers, their usage.
      for (const id of [other.registrationId, other.removedRegistrationId]) {
        await expectNotFound('GET', `/registrations/${id}`);
        await expectNotFound('DELETE', `/registrations/${id}`);
      }
      await expectNotFound('GET', `/license-servers/${other.licenseServerId}`);
      await expectNotFound('GET', `/license-servers/${other.licenseServerId}/usage`);
      await expectNotFound('GET', `/license-servers/${other.licenseServerId}/usage?from=2000-01-01&to=2100-01-01`);
      await expectNotFound('DELETE', `/license-servers/${other.licenseServerId}/usage`, {
        acknowledgePermanent: true,
        acknowledgeCollectionContinues: true,
      });
      // The ids of one kind tried as the other kind.
      await expectNotFound('GET', `/license-servers/${other.registrationId}`);
      await expectNotFound('DELETE', `/registrations/${other.licenseServerId}`);

      // Codes the other customer registered or denied: used, and nothing more said.
      for (const code of [other.registeredCode, other.deniedCode]) {
        for (const url of ['/registrations/preview', '/registrations', '/registrations/deny']) {
          const response = await send('POST', url, { code });
          expect(response.status, `${url} ${code}`).toBe(409);
          expect(expectCleanError(response).error).toBe('code_already_used');
        }
      }

      // Lists and searches: never one of the other's rows.
      for (const query of [other.marker, other.marker.toUpperCase(), `${other.marker}.corp`, '']) {
        const lists = {
          '/registrations': [
            '',
            '&status=never-contacted',
            '&status=reporting',
            '&status=not-reporting',
            '&sort=registeredAt&order=desc',
            '&limit=200',
          ],
          '/license-servers': ['', '&limit=200'],
        };
        for (const [list, extras] of Object.entries(lists)) {
          for (const extra of extras) {
            const response = await send('GET', `${list}?query=${encodeURIComponent(query)}${extra}`);
            expect(response.status, `${list} ${query}${extra}`).toBe(200);
          }
        }
      }
      const audit = await send('GET', '/audit-events?limit=200');
      expect(audit.status).toBe(200);
      const ids = JSON.stringify(audit.json);
      for (const id of [other.registrationId, other.removedRegistrationId, other.licenseServerId])
        expect(ids).not.toContain(id);
      // My own data is still mine to see (the probes above would pass on an empty console otherwise).
      expect(ids).toContain(me.registrationId);
      const mine = (await t.client.get(`/api/console/registrations?query=${me.marker}`, { as: me.session })).json;
      expect(mine.items.map((r: { id: string }) => r.id)).toEqual([me.registrationId]);
      expect(
        (await t.client.get(`/api/console/license-servers/${me.licenseServerId}`, { as: me.session })).status,
      ).toBe(200);
    }

    // Nothing changed: the other's registration works, its data and codes are as they were.
    for (const tenant of [a, b]) {
      expect((await t.client.get('/api/product/v1/registration', { as: tenant })).status).toBe(200);
    }
    expect(await t.db.usageRecord.count()).toBe(before.usage);
    expect(await t.db.registration.count({ where: { removedAt: null } })).toBe(before.registrations);
    expect(await codeStates()).toEqual(before.codes);
    expect(await t.db.auditEvent.count()).toBe(before.audit);
    expect(probes).toBeGreaterThanOrEqual(90);
    // Over a hundred requests, each a real search: 6 s alone, but past 30 s on a loaded two-core machine.
  }, 120_000);
});
