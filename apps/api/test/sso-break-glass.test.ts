import { describe, expect, it } from 'vitest';
import { useTestApp } from './helpers/app.ts';
import { createAdmin, createSignedInAdmin, type SignedIn } from './helpers/factories.ts';

const t = useTestApp();

const patch = (as: SignedIn, id: string, body: unknown) => t.client.patch(`/api/console/admins/${id}`, body, { as });

describe('PATCH /admins/:id {breakGlass}', () => {
  it('makes an active full admin break-glass and back, audited, shown in the list', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const other = await createAdmin(t.db, admin.customerId);
    const on = await patch(session, other.id, { breakGlass: true });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ id: other.id, breakGlass: true, role: 'full' });
    const list = await t.client.get('/api/console/admins', { as: session });
    expect(list.json.items.find((a: { id: string }) => a.id === other.id).breakGlass).toBe(true);
    expect((await patch(session, other.id, { breakGlass: false })).json.breakGlass).toBe(false);
    const events = await t.db.auditEvent.findMany({
      where: { customerId: admin.customerId, action: 'admin.break_glass_changed' },
    });
    expect(events.map((e) => e.details)).toEqual(
      expect.arrayContaining([
        { from: false, to: true },
        { from: true, to: false },
      ]),
    );
  });

  it('409 break_glass_requires_full: a read-only admin, an invited one, a demotion of a break-glass admin', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const reader = await createAdmin(t.db, admin.customerId);
    await t.db.admin.update({ where: { id: reader.id }, data: { role: 'read-only' } });
    expect((await patch(session, reader.id, { breakGlass: true })).json.error).toBe('break_glass_requires_full');
    // Promoted in the same request: allowed.
    const both = await patch(session, reader.id, { role: 'full', breakGlass: true });
    expect(both.json).toMatchObject({ role: 'full', breakGlass: true });
    const demoted = await patch(session, reader.id, { role: 'read-only' });
    expect(demoted.status).toBe(409);
    expect(demoted.json.error).toBe('break_glass_requires_full');
    // Demoted while giving up break-glass in the same request: allowed.
    expect((await patch(session, reader.id, { role: 'read-only', breakGlass: false })).json.role).toBe('read-only');

    const person = await t.db.person.create({ data: { email: `invited-${reader.id}@example.com` } });
    const invited = await t.db.admin.create({
      data: { customerId: admin.customerId, personId: person.id, status: 'invited' },
    });
    expect((await patch(session, invited.id, { breakGlass: true })).json.error).toBe('break_glass_requires_full');
  });

  it('409 break_glass_limit past two per customer', async () => {
    const { session, admin } = await createSignedInAdmin(t.app, t.db);
    const [a, b, c] = [
      await createAdmin(t.db, admin.customerId),
      await createAdmin(t.db, admin.customerId),
      await createAdmin(t.db, admin.customerId),
    ];
    expect((await patch(session, a.id, { breakGlass: true })).status).toBe(200);
    expect((await patch(session, b.id, { breakGlass: true })).status).toBe(200);
    const third = await patch(session, c.id, { breakGlass: true });
    expect(third.status).toBe(409);
    expect(third.json.error).toBe('break_glass_limit');
    // Setting it again on one who has it is no new one.
    expect((await patch(session, a.id, { breakGlass: true })).status).toBe(200);
  });

  it("refuses an empty, unknown-field or wrongly typed body (400) and another customer's admin (404)", async () => {
    const { session } = await createSignedInAdmin(t.app, t.db);
    const stranger = await createAdmin(t.db);
    for (const body of [{}, { breakGlass: 'true' }, { breakGlass: true, extra: 1 }, { role: 'owner' }, null]) {
      const response = await patch(session, session.admin.id, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
    expect((await patch(session, stranger.id, { breakGlass: true })).status).toBe(404);
  });
});
