import { AppError, notFound } from '../../lib/errors.ts';
import { actorOf, type Principal } from '../../lib/principal.ts';
import type { ChangeDeps } from '../../lib/change-deps.ts';
import type { Tx } from '../../lib/tx.ts';
import {
  deleteUsageBetween,
  findServerRef,
  reportIdsOf,
  resetLastUpload,
  usagePeriodRange,
} from './usage-delete.repository.ts';
import { rebuildRollups } from './usage-rollups.repository.ts';

const DAY_MS = 24 * 3600_000;
/** Delete data works through a server's records three days of periods at a time… */
const DELETE_STEP_MS = 3 * DAY_MS;
/** …resting twice as long as each step took, while the whole has taken less than this (so it ends well within 10 s). */
const DELETE_PACING_MS = 6_000;
/** The longest Delete data's transaction may run (its request's deadline is set past it, usage.routes.ts). */
export const DELETE_DATA_TIMEOUT_MS = 60_000;

export function createUsageDeletion({ db, clock, audit, outbox }: ChangeDeps) {
  /**
   * DELETE /license-servers/:id/usage. Permanent and all-or-nothing: the records, the audit
   * event and the usage.deleted event commit together. Report ids stay. A server that had no
   * records gets its audit event but no usage.deleted: nothing was deleted to tell anyone of.
   */
  async function deleteData(
    principal: Principal,
    id: string,
    ack: { acknowledgePermanent?: boolean | undefined; acknowledgeCollectionContinues?: boolean | undefined },
  ) {
    if (ack.acknowledgePermanent !== true || ack.acknowledgeCollectionContinues !== true) {
      throw new AppError(
        'acknowledgement_required',
        'Confirm both that the deletion is permanent and that collection continues while the server stays registered.',
      );
    }
    const server = await findServerRef(db, principal.customerId, id);
    if (!server) throw notFound();
    const deletedRecords = await db.$transaction(
      async (tx) => {
        const count = await deletePaced(tx, principal.customerId, server.licenseServerId);
        await audit.record(tx, {
          customerId: principal.customerId,
          actor: actorOf(principal),
          action: 'usage.deleted',
          target: { type: 'license_server', id: server.licenseServerId, label: server.serverName },
          details: { deletedRecords: count },
        });
        if (count > 0)
          await outbox.enqueue(tx, {
            customerId: principal.customerId,
            type: 'usage.deleted',
            at: clock.now(),
            data: { server, deletedRecords: count },
          });
        return count;
      },
      { timeout: DELETE_DATA_TIMEOUT_MS },
    );
    return { deletedRecords };
  }

  /**
   * The reports this server had when the delete began, deleted whole: their ids are captured
   * first (committed reports only, each with all its records, since a report and its records
   * commit together), then their records go three days of periods at a time inside the
   * caller's transaction, resting after each step twice as long as it took (until
   * DELETE_PACING_MS). Reports accepted while it runs are not among them and stay whole; their
   * ids outlive the delete by contract (a retry answers duplicate), so a report left with part
   * of its records could never be completed. Capturing ids was chosen over locking the license
   * server row: a lock would hold that server's uploads for the whole delete, past their
   * statement timeout (503s and retries); with the capture they go on.
   * The records still disappear for every reader at once, at commit; spreading the work keeps
   * other customers' uploads from queueing behind one statement that deletes a million rows
   * (CPU and WAL for seconds): measured with npm run bench, docs/benchmarks.md.
   */
  async function deletePaced(tx: Tx, customerId: string, serverId: string): Promise<number> {
    const ids = await reportIdsOf(tx, serverId);
    const count = ids.length ? await deleteSteps(tx, serverId, ids) : 0;
    // Last, so that the server row (which uploads update too) is locked only until the commit;
    // under that lock the rollups are rebuilt from the records that remain.
    await resetLastUpload(tx, serverId, ids);
    await rebuildRollups(tx, customerId, serverId);
    return count;
  }

  async function deleteSteps(tx: Tx, serverId: string, ids: string[]) {
    const range = await usagePeriodRange(tx, serverId, ids);
    if (!range) return 0;
    const started = Date.now();
    let count = 0;
    for (let from = range.first.getTime(); from <= range.last.getTime(); from += DELETE_STEP_MS) {
      const stepStarted = Date.now();
      count += await deleteUsageBetween(tx, serverId, ids, new Date(from), new Date(from + DELETE_STEP_MS));
      const took = Date.now() - stepStarted;
      if (Date.now() - started + 2 * took < DELETE_PACING_MS)
        await new Promise((resolve) => setTimeout(resolve, 2 * took));
    }
    return count;
  }

  return { deleteData };
}
