import type { TAuditDetails } from '@reg/contracts/audit-api';
import { ZCreateMuteRequest, type TCreateMuteRequest, type TMute, type TMuteScope } from '@reg/contracts/mutes-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import * as mutes from './mutes.repository.ts';

/** How long GET /mutes keeps showing a window that ended, and housekeeping keeps it. */
const KEEP_ENDED_MUTES_DAYS = 30;
const DAY_MS = 86_400_000;

const scopeOf = (row: Pick<mutes.MuteRow, 'registrationId'>): TMuteScope =>
  row.registrationId ? { registrationId: row.registrationId } : { all: true };

const toMute = (row: mutes.MuteRow, now: Date): TMute => ({
  id: row.id,
  scope: scopeOf(row),
  serverName: row.registrationId ? row.serverName : null,
  from: row.fromAt.toISOString(),
  to: row.toAt.toISOString(),
  reason: row.reason,
  active: row.fromAt <= now && now < row.toAt,
  createdAt: row.createdAt.toISOString(),
  createdBy: { id: row.createdById, email: row.createdByEmail },
});

const labelOf = (row: Pick<mutes.MuteRow, 'registrationId' | 'serverName'>) =>
  row.registrationId ? (row.serverName ?? '') : 'All servers';

/**
 * Maintenance windows (docs/notifications.md, "Maintenance windows"). What a window mutes is
 * decided where events are written (deliveries.repository.ts); this is their list and changes.
 */
export function createMuteService({ db, clock, audit }: { db: Db; clock: Clock; audit: AuditService }) {
  /** Signed-in admins only: a window names who made it. */
  const adminOf = (principal: Principal) => {
    if (principal.type !== 'admin') throw new AppError('access_denied');
    return principal;
  };

  async function create(principal: Principal, input: TCreateMuteRequest): Promise<TMute> {
    const admin = adminOf(principal);
    const request = ZCreateMuteRequest.parse(input);
    const now = clock.now();
    const [fromAt, toAt] = [new Date(request.from), new Date(request.to)];
    if (toAt <= now)
      throw new AppError('invalid_request', 'to: must be in the future', {
        details: [{ path: ['to'], message: 'must be in the future' }],
      });
    const registrationId = 'registrationId' in request.scope ? request.scope.registrationId : null;
    return db.$transaction(async (tx) => {
      const serverName = registrationId ? await mutes.activeServerName(tx, admin.customerId, registrationId) : null;
      if (registrationId && serverName === null) throw notFound();
      const row = { registrationId, serverName, fromAt, toAt, reason: request.reason, createdAt: now };
      const id = await mutes.createMute(tx, {
        ...row,
        customerId: admin.customerId,
        createdById: admin.id,
        createdByEmail: admin.email,
      });
      const details: TAuditDetails['mute.created'] = {
        scope: scopeOf(row),
        from: fromAt.toISOString(),
        to: toAt.toISOString(),
        reason: request.reason,
      };
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: actorOf(admin),
        action: 'mute.created',
        target: { type: 'mute', id, label: labelOf(row) },
        details,
      });
      return toMute({ ...row, id, createdById: admin.id, createdByEmail: admin.email }, now);
    });
  }

  async function list(principal: Principal): Promise<TMute[]> {
    const admin = adminOf(principal);
    const now = clock.now();
    const rows = await mutes.listMutes(db, admin.customerId, new Date(now.getTime() - KEEP_ENDED_MUTES_DAYS * DAY_MS));
    return rows.map((row) => toMute(row, now));
  }

  /** Gone at once; what it muted stays muted (those deliveries are final). */
  async function remove(principal: Principal, id: string): Promise<void> {
    const admin = adminOf(principal);
    await db.$transaction(async (tx) => {
      const row = await mutes.findMute(tx, admin.customerId, id);
      if (!row) throw notFound();
      await mutes.deleteMute(tx, admin.customerId, id);
      await audit.record(tx, {
        customerId: admin.customerId,
        actor: actorOf(admin),
        action: 'mute.deleted',
        target: { type: 'mute', id, label: labelOf(row) },
        details: { scope: scopeOf(row), from: row.fromAt.toISOString(), to: row.toAt.toISOString() },
      });
    });
  }

  /** Housekeeping: windows that ended more than KEEP_ENDED_MUTES_DAYS ago. */
  const purgeOld = () => mutes.purgeMutes(db, new Date(clock.now().getTime() - KEEP_ENDED_MUTES_DAYS * DAY_MS));

  return { create, list, remove, purgeOld };
}

export type MuteService = ReturnType<typeof createMuteService>;
