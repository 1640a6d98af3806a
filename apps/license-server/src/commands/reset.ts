import { randomUUID } from 'node:crypto';
import type { Context } from '../context.ts';
import { forgetOfflineKeys } from '../offline-files.ts';
import type { LocalState } from '../state.ts';

/**
 * register --reset: this installation forgets the identity it may share with the machine it was
 * copied from (a cloned image or container), so it registers as a server of its own. Dropped
 * here without telling the cloud, since on a copy they are the original's: the credential, a
 * pending approval's poll token, an offline request's keys, and the names registered under
 * (the original's; this machine's host name is used unless given). The unsent reports are
 * moved aside, not sent and not deleted. The cloud address is kept.
 */
export function resetIdentity(ctx: Context): void {
  const before = ctx.store.load();
  const fresh: LocalState = {
    instanceId: randomUUID(),
    ...(before.cloudUrl !== undefined && { cloudUrl: before.cloudUrl }),
  };
  ctx.store.save(fresh);
  forgetOfflineKeys(ctx.store.dir);
  ctx.state = fresh;
  const time = new Date().toISOString().replace(/[:.]/g, '-');
  const { moved, dir } = ctx.spool.moveAside(`reset-${time}`);
  ctx.io.out(`Reset: this installation is now instance ${fresh.instanceId} (it was ${before.instanceId}).`);
  if (moved > 0) ctx.io.out(`${moved} unsent report(s) were moved aside to ${dir}; they will not be sent.`);
}
