import type { Tx } from '../../lib/tx.ts';
import type { MachineState } from './clone-detection.ts';

/** The registration's machine as stored now (after a lost race to claim it); null once removed. */
export async function currentMachine(db: Tx, id: string): Promise<MachineState | null> {
  return db.registration.findFirst({
    where: { id, removedAt: null },
    select: { machineFingerprint: true, fingerprintSeenAt: true, duplicateRefusedAt: true },
  });
}

/**
 * Keeps `fingerprint` as the registration's machine, if the machine stored is still the one the
 * caller judged (so of two machines claiming a registration at once, one wins and the other is
 * judged again). Whether it took.
 */
export async function claimMachine(db: Tx, id: string, fingerprint: string, now: Date, judged: MachineState) {
  const { count } = await db.registration.updateMany({
    where: {
      id,
      removedAt: null,
      machineFingerprint: judged.machineFingerprint,
      fingerprintSeenAt: judged.fingerprintSeenAt,
    },
    data: { machineFingerprint: fingerprint, fingerprintSeenAt: now },
  });
  return count === 1;
}

/** The kept machine was seen again. */
export async function refreshSeen(db: Tx, id: string, fingerprint: string, now: Date) {
  await db.registration.updateMany({
    where: { id, machineFingerprint: fingerprint },
    data: { fingerprintSeenAt: now },
  });
}

/**
 * Marks a refused copy: the time of this refusal, and the time of the one before (null or over
 * a day old: the registration was not marked, so this marking is announced), under the row's lock.
 */
export async function markCopy(tx: Tx, id: string, now: Date) {
  const [row] = await tx.$queryRaw<{ before: Date | null; serverName: string }[]>`
    UPDATE registrations r SET duplicate_refused_at = ${now}
    FROM (SELECT id, duplicate_refused_at FROM registrations WHERE id = ${id}::uuid FOR UPDATE) old
    WHERE r.id = old.id
    RETURNING old.duplicate_refused_at AS before, r.server_name AS "serverName"`;
  return row ?? null;
}
