import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, registerProduct, type SignedIn } from '../helpers/factories.ts';
import { holdLock } from '../helpers/locks.ts';
import { upload, usageReport } from '../helpers/usage.ts';
import { expectCleanError } from './support.ts';

/**
 * A connection lost in the middle of a request (its server process terminated, as a failover
 * or a pooler restart ends every connection): idempotent work (an upload by its report id, a
 * heartbeat, reads, the session check) runs whole once more and answers as if nothing
 * happened; anything else answers 503 and is not run again. Each request is made to wait
 * behind a lock the test holds, its server process is terminated, then the lock is released:
 * a retry would go through at once.
 */
const t = useTestApp();
let session: SignedIn;
let product: Awaited<ReturnType<typeof registerProduct>>;

beforeAll(async () => {
  session = (await createSignedInAdmin(t.app, t.db)).session;
  product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
}, 60_000);

/** Sends `request`, terminates the server process that waits behind `lockSql`, releases the lock. */
async function interrupted<T>(lockSql: string, values: unknown[], request: () => Promise<T>): Promise<T> {
  const lock = await holdLock(t.databaseUrl, lockSql, values);
  try {
    const answer = request();
    await lock.terminate(await lock.waiter());
    await lock.release();
    return await answer;
  } finally {
    await lock.release();
  }
}

const storedReports = async (reportId: string) =>
  (
    await t.db.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM usage_reports WHERE report_id = $1::uuid',
      reportId,
    )
  )[0]!.n;

describe('a connection lost mid-request', () => {
  it('runs an upload whole once more: accepted, stored once', async () => {
    const report = usageReport(t.clock.now(), { days: 2 });
    const response = await interrupted(
      'SELECT 1 FROM registrations WHERE id = $1::uuid FOR UPDATE',
      [product.registrationId],
      () => upload(t.app, product.bearer, report),
    );
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ reportId: report.reportId, duplicate: false });
    expect(await storedReports(report.reportId)).toBe(1);
    // The License Server sends it again (its answer lost, say): a duplicate, not a second report.
    const again = await upload(t.app, product.bearer, report);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, accepted: 0 });
    expect(await storedReports(report.reportId)).toBe(1);
  });

  it('rolls back the first try of an upload that had stored its report, and stores it once', async () => {
    // Usage over the licenses yesterday: after the report is in, the transaction claims the
    // overdraft notice, and waits there: the first try has written the report when it is cut off.
    const report = usageReport(t.clock.now(), { products: [['OVR', 'PLT']], installed: 10, inUse: 20 });
    const response = await interrupted('LOCK TABLE usage_overdraft_notices IN ACCESS EXCLUSIVE MODE', [], () =>
      upload(t.app, product.bearer, report),
    );
    expect(response.statusCode, response.body).toBe(202);
    expect(await storedReports(report.reportId)).toBe(1);
    const notices = await t.db.$queryRawUnsafe<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM usage_overdraft_notices WHERE product_code = 'OVR'`,
    );
    expect(notices[0]!.n).toBe(1);
  });

  it('runs a heartbeat once more', async () => {
    const response = await interrupted(
      'SELECT 1 FROM registrations WHERE id = $1::uuid FOR UPDATE',
      [product.registrationId],
      () => t.client.get('/api/product/v1/registration', { as: { credential: product.credential } }),
    );
    expect(response.status, response.body).toBe(200);
    expect(response.json).toMatchObject({ registrationId: product.registrationId, status: 'active' });
  });

  it('sends a console read once more', async () => {
    const response = await interrupted('LOCK TABLE license_servers IN ACCESS EXCLUSIVE MODE', [], () =>
      t.client.get('/api/console/license-servers', { as: session }),
    );
    expect(response.status, response.body).toBe(200);
    expect(response.json.items.length).toBeGreaterThan(0);
  });

  it('does not run a change that is not idempotent again: 503, and nothing made', async () => {
    const name = `retry-probe-${Date.now()}`;
    const response = await interrupted('LOCK TABLE api_clients IN ACCESS EXCLUSIVE MODE', [], () =>
      t.client.post('/api/console/api-clients', { name }, { as: session }),
    );
    expect(response.status, response.body).toBe(503);
    expect(expectCleanError(response).error).toBe('unavailable');
    expect(response.headers['retry-after']).toBeDefined();
    const listed = await t.client.get('/api/console/api-clients', { as: session });
    expect(listed.json.items.map((client: { name: string }) => client.name)).not.toContain(name);
    // The service itself is fine: the same change made again goes through.
    expect((await t.client.post('/api/console/api-clients', { name }, { as: session })).status).toBe(201);
  });
});
