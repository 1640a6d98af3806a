/**
 * Clone detection's rule (docs/protocol.md, "Clone detection"), in one place: a registration
 * keeps the first machine fingerprint it is used with and when it was last seen; another
 * fingerprint is a copy while the kept one was seen within WINDOW_MS, else it takes over (the
 * machine was re-imaged, renamed or moved). A refused copy marks the registration duplicate
 * until WINDOW_MS after the last refusal.
 */
const WINDOW_MS = 24 * 3600_000;
/** How stale "last seen" may get before a request refreshes it: a write per request would cost every upload one. */
const SEEN_REFRESH_MS = 5 * 60_000;

export interface MachineState {
  machineFingerprint: string | null;
  fingerprintSeenAt: Date | null;
  duplicateRefusedAt: Date | null;
}

/** What a request from `fingerprint` does to the registration. */
type MachineVerdict = 'same' | 'refresh' | 'take-over' | 'copy';

export function judgeMachine(state: MachineState, fingerprint: string, now: Date): MachineVerdict {
  const seen = state.fingerprintSeenAt?.getTime() ?? -Infinity;
  if (state.machineFingerprint === fingerprint) return now.getTime() - seen >= SEEN_REFRESH_MS ? 'refresh' : 'same';
  if (state.machineFingerprint === null || now.getTime() - seen >= WINDOW_MS) return 'take-over';
  return 'copy';
}

/** Whether lists show the registration as duplicate: a copy was refused within the window. */
export const isDuplicate = (state: Pick<MachineState, 'duplicateRefusedAt'>, now: Date) =>
  state.duplicateRefusedAt !== null && now.getTime() - state.duplicateRefusedAt.getTime() < WINDOW_MS;
