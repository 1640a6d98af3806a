import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ZCustomerRef, ZTimestamp, ZUuid } from '@reg/contracts/common';

/**
 * What this License Server remembers between runs. The credential is a secret that
 * works until the registration is removed, so the directory is the owner's alone
 * (0700) and the file 0600, written whole (temp + rename) so a crash never leaves half.
 */
export const ZLocalState = z.object({
  instanceId: ZUuid,
  serverName: z.string().optional(),
  hostname: z.string().optional(),
  cloudUrl: z.string().optional(),
  credential: z.string().optional(),
  registrationId: ZUuid.optional(),
  customer: ZCustomerRef.optional(),
  registeredAt: ZTimestamp.optional(),
  /** Registered from a request file: usage goes out as files (upload --offline). */
  registeredOffline: z.boolean().optional(),
  /** Registered by a key that needs approval: the poll token (never the key) until an admin decides. */
  pendingApproval: z
    .object({ pollToken: z.string(), registrationId: ZUuid, customer: ZCustomerRef, verificationUri: z.string() })
    .optional(),
});
export type LocalState = z.infer<typeof ZLocalState>;
export type Registered = LocalState & Required<Pick<LocalState, 'credential' | 'registrationId' | 'customer'>>;

const STATE_FILE = 'state.json';

export function isRegistered(state: LocalState): state is Registered {
  return Boolean(state.credential && state.registrationId && state.customer);
}

export class StateStore {
  constructor(readonly dir: string) {}

  get file(): string {
    return join(this.dir, STATE_FILE);
  }

  ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode is masked by umask and ignored for an existing directory.
    chmodSync(this.dir, 0o700);
  }

  /** The saved state; a first run gets a fresh instanceId, saved at once so it never changes. */
  load(): LocalState {
    this.ensureDir();
    let raw: string;
    try {
      raw = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const fresh: LocalState = { instanceId: randomUUID() };
      this.save(fresh);
      return fresh;
    }
    const parsed = ZLocalState.safeParse(JSON.parse(raw));
    if (!parsed.success) {
      throw new Error(`The state file ${this.file} is damaged: ${parsed.error.issues[0]?.message ?? 'invalid'}.`);
    }
    return parsed.data;
  }

  save(state: LocalState): void {
    this.ensureDir();
    writeFileAtomic(this.file, `${JSON.stringify(state, null, 2)}\n`);
  }

  /** Drops what belongs to the registration; the instanceId (and the spool) stay. */
  forgetRegistration(): LocalState {
    const {
      credential: _c,
      registrationId: _r,
      customer: _cu,
      registeredAt: _ra,
      registeredOffline: _o,
      ...kept
    } = this.load();
    this.save(kept);
    return kept;
  }
}

export function writeFileAtomic(file: string, content: string): void {
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  writeFileSync(temp, content, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}
