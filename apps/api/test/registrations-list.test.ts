import { describe, expect, it } from 'vitest';
import type { TRegistration } from '@reg/contracts/console-api';
import { useTestApp } from './helpers/app.ts';
import { createSignedInAdmin, registerProduct, signIn, type SignedIn } from './helpers/factories.ts';

const t = useTestApp();

const fresh = async () => (await createSignedInAdmin(t.app, t.db)).session;
const registered = (s: SignedIn, overrides = {}) => registerProduct(t.app, s, overrides, () => t.clock.advance(5_000));
const list = async (s: SignedIn, query = '') => {
  const response = await t.client.get(`/api/console/registrations${query}`, { as: s });
  expect(response.status).toBe(200);
  return response.json as { items: TRegistration[]; nextCursor: string | null };
};
const heartbeat = (product: { credential: string }) => t.client.get('/api/product/v1/registration', { as: product });
const HOUR = 3600_000;

describe('status', () => {
  it('is never contacted, then reporting, and not reporting from 48 hours after the last contact', async () => {
    let s = await fresh();
    const product = await registered(s);
    expect((await list(s)).items[0]!.status).toBe('never-contacted');
    await heartbeat(product);
    expect((await list(s)).items[0]!.status).toBe('reporting');
    t.clock.advance(48 * HOUR - 1_000);
    // Sessions end after 30 idle minutes: sign in again, as the admin would.
    s = await signIn(t.app, s.admin.email);
    expect((await list(s)).items[0]!.status).toBe('reporting');
    t.clock.advance(1_000);
    expect((await list(s)).items[0]!.status).toBe('not-reporting');
    expect((await list(s, '?status=not-reporting')).items).toHaveLength(1);
    expect((await list(s, '?status=reporting')).items).toHaveLength(0);
    await heartbeat(product);
    expect((await list(s, '?status=reporting')).items).toHaveLength(1);
  });
});

describe('filters, search, sort and pages', () => {
  it('filters by status and searches server and host names, case-insensitively, wildcards taken literally', async () => {
    const s = await fresh();
    const a = await registered(s, { serverName: 'Berlin-LS01', hostname: 'ls01.berlin.example.com' });
    await registered(s, { serverName: 'Paris 100%', hostname: 'ls02.paris.example.com' });
    await heartbeat(a);
    expect((await list(s, '?query=berlin')).items.map((r) => r.serverName)).toEqual(['Berlin-LS01']);
    expect((await list(s, '?query=PARIS.EXAMPLE')).items.map((r) => r.serverName)).toEqual(['Paris 100%']);
    expect((await list(s, `?query=${encodeURIComponent('100%')}`)).items).toHaveLength(1);
    expect((await list(s, '?query=%25')).items).toHaveLength(1);
    expect((await list(s, '?query=_')).items).toHaveLength(0);
    expect((await list(s, '?status=never-contacted')).items.map((r) => r.serverName)).toEqual(['Paris 100%']);
    expect((await list(s, '?status=reporting')).items.map((r) => r.serverName)).toEqual(['Berlin-LS01']);
  });

  it('sorts by name, registration time or last contact, both ways', async () => {
    const s = await fresh();
    const b = await registered(s, { serverName: 'b-server' });
    const a = await registered(s, { serverName: 'a-server' });
    await registered(s, { serverName: 'c-server' });
    await heartbeat(b);
    t.clock.advance(1_000);
    await heartbeat(a);
    const names = async (q: string) => (await list(s, q)).items.map((r) => r.serverName);
    expect(await names('')).toEqual(['a-server', 'b-server', 'c-server']);
    expect(await names('?order=desc')).toEqual(['c-server', 'b-server', 'a-server']);
    expect(await names('?sort=registeredAt')).toEqual(['b-server', 'a-server', 'c-server']);
    expect(await names('?sort=lastContactAt&order=desc')).toEqual(['a-server', 'b-server', 'c-server']);
  });

  it('pages without duplicates or gaps while rows are added', async () => {
    const s = await fresh();
    for (let i = 0; i < 9; i++) await registered(s, { serverName: `srv-${String(i * 2).padStart(2, '0')}` });
    const seen: string[] = [];
    let cursor: string | null = null;
    let added = 0;
    do {
      const page = await list(s, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...page.items.map((r) => r.serverName));
      cursor = page.nextCursor;
      // A row added behind the cursor is not seen; one added ahead of it is, once.
      if (added < 3) {
        await registered(s, { serverName: `srv-${String(added * 6 + 1).padStart(2, '0')}` });
        added++;
      }
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (let i = 0; i < 9; i++) expect(seen).toContain(`srv-${String(i * 2).padStart(2, '0')}`);
    expect(seen).toEqual([...seen].sort());
  });

  it('validates the query', async () => {
    const s = await fresh();
    for (const q of [
      '?limit=0',
      '?limit=201',
      '?status=online',
      '?sort=hostname',
      '?order=up',
      '?cursor=garbage',
      '?unknown=1',
    ]) {
      const response = await t.client.get(`/api/console/registrations${q}`, { as: s });
      expect(response.status, q).toBe(400);
      expect(response.json.error).toBe('invalid_request');
    }
  });
});
