import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTestApp } from '../helpers/app.ts';
import { createSignedInAdmin, requestCode, TEST_PASSWORD } from '../helpers/factories.ts';

/**
 * What the audit log records beyond registrations and deletions: failed sign-ins (never the
 * password), sign-outs, code previews, API clients made and deleted, and the operator CLI's
 * changes (actor type operator).
 */
const t = useTestApp();

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const eventsOf = (customerId: string) =>
  t.db.auditEvent.findMany({ where: { customerId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });

describe('the audit log', () => {
  it('records failed sign-ins (without the password), sign-outs, previews and API clients', async () => {
    const { admin, session } = await createSignedInAdmin(t.app, t.db);
    const password = `not-the-password-${randomUUID()}`;
    const failed = await t.client.post(
      '/api/console/session',
      { email: admin.email.toUpperCase(), password },
      { remoteAddress: '198.51.100.23' },
    );
    expect(failed.status).toBe(401);
    // An unknown email names no customer: nothing is written for it anywhere.
    const before = await t.db.auditEvent.count();
    await t.client.post('/api/console/session', { email: `nobody-${randomUUID()}@example.com`, password });
    expect(await t.db.auditEvent.count()).toBe(before);

    const code = await requestCode(t.app, { serverName: 'Previewed server', hostname: 'ls-previewed.example.com' });
    const preview = await t.client.post('/api/console/registrations/preview', { code: code.code }, { as: session });
    expect(preview.status).toBe(200);
    const created = await t.client.post('/api/console/api-clients', { name: 'Audited bot' }, { as: session });
    const clientId = created.json.clientId as string;
    const deleted = await t.client.delete(`/api/console/api-clients/${clientId}`, undefined, { as: session });
    expect(deleted.status).toBe(204);
    const out = await t.client.delete('/api/console/session', undefined, { as: session });
    expect(out.status).toBe(204);

    const events = await eventsOf(admin.customerId);
    expect(JSON.stringify(events)).not.toContain(password);
    const byAction = (action: string) => events.filter((e) => e.action === action);
    expect(byAction('session.sign_in_failed')).toEqual([
      expect.objectContaining({
        targetId: admin.id,
        details: { email: admin.email, address: '198.51.100.23' },
      }),
    ]);
    expect(byAction('registration.previewed')).toEqual([
      expect.objectContaining({
        actorId: admin.id,
        targetLabel: 'Previewed server',
        details: expect.objectContaining({ hostname: 'ls-previewed.example.com' }),
      }),
    ]);
    expect(byAction('api_client.created')).toEqual([expect.objectContaining({ targetId: clientId })]);
    expect(byAction('api_client.deleted')).toEqual([expect.objectContaining({ targetId: clientId })]);
    expect(byAction('session.signed_out')).toEqual([
      expect.objectContaining({ actorId: admin.id, targetId: admin.id }),
    ]);
    // A second sign-out with the same (now ended) session records nothing more.
    await t.client.delete('/api/console/session', undefined, { as: session });
    expect((await eventsOf(admin.customerId)).filter((e) => e.action === 'session.signed_out')).toHaveLength(1);
  });

  it("records the operator CLI's changes under the actor type operator", async () => {
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'apps/api/src/admin-cli.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: t.databaseUrl, NODE_ENV: 'development' },
        timeout: 60_000,
      });
    const name = `Operated ${randomUUID()}`;
    const first = `first-${randomUUID()}@example.com`;
    const second = `second-${randomUUID()}@example.com`;
    await cli('add-customer', '--name', name, '--admin-email', first, '--admin-password', TEST_PASSWORD);
    await cli('add-admin', '--customer', name, '--email', second, '--password', TEST_PASSWORD);
    await cli('remove-admin', '--email', second);

    const customer = await t.db.customer.findFirstOrThrow({ where: { name } });
    const events = await eventsOf(customer.id);
    expect(events.map((e) => [e.action, e.actorType, e.targetLabel])).toEqual([
      ['admin.added', 'operator', first],
      ['admin.added', 'operator', second],
      ['admin.removed', 'operator', second],
    ]);
    // The details the contract types for admin.removed, as the console's removal writes them.
    expect(events[2]!.details).toEqual({ role: 'full', deletedApiClients: 0 });
    // The console reads them like any other event.
    const { session } = await createSignedInAdmin(t.app, t.db, customer.id);
    const listed = await t.client.get('/api/console/audit-events', { as: session });
    expect(listed.status).toBe(200);
    expect(listed.json.items.filter((e: { actor: { type: string } }) => e.actor.type === 'operator')).toHaveLength(3);
  }, 120_000);
});
