import type { TLicenseServer, TUsageSeries } from '@reg/contracts/usage-api';
import { Prisma, type Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { likeContains } from '../registrations/registrations.repository.ts';
import { registrationStatus } from '../registrations/registration-status.ts';
import type { AdminContext } from '../session/session.service.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  notReportingAfterHours: number;
}

const DAY_MS = 24 * 3600_000;
/** Delete data works through a server's records three days of periods at a time… */
const DELETE_STEP_MS = 3 * DAY_MS;
/** …resting twice as long as each step took, while the whole has taken less than this (so it ends well within 10 s). */
const DELETE_PACING_MS = 6_000;

export function createLicenseServerService({ db, clock, audit, notReportingAfterHours }: Deps) {
  /** Servers with usage data or an active registration, by name; keyset on (server_name, id). */
  async function list(
    admin: AdminContext,
    q: { query?: string | undefined; cursor?: string | undefined; limit: number; id?: string },
  ) {
    const conditions = [
      Prisma.sql`ls.customer_id = ${admin.customerId}::uuid`,
      Prisma.sql`(EXISTS (SELECT 1 FROM registrations r WHERE r.license_server_id = ls.id AND r.removed_at IS NULL)
                  OR EXISTS (SELECT 1 FROM usage_records u WHERE u.license_server_id = ls.id))`,
    ];
    if (q.query) {
      const pattern = likeContains(q.query);
      conditions.push(Prisma.sql`(ls.server_name ILIKE ${pattern} OR ls.hostname ILIKE ${pattern})`);
    }
    if (q.id) conditions.push(Prisma.sql`ls.id = ${q.id}::uuid`);
    if (q.cursor) {
      const [name, id] = decodeCursor<[string, string]>(q.cursor, ['string', 'string']);
      if (!/^[0-9a-f-]{36}$/i.test(id))
        throw new AppError('invalid_request', 'The cursor is not one this API gave out.');
      conditions.push(Prisma.sql`(ls.server_name, ls.id) > (${name}, ${id}::uuid)`);
    }
    const servers = await db.$queryRaw<
      {
        id: string;
        server_name: string;
        hostname: string;
        instance_id: string;
        last_upload_at: Date | null;
        registration_id: string | null;
        last_contact_at: Date | null;
      }[]
    >`
      SELECT ls.id, ls.server_name, ls.hostname, ls.instance_id, ls.last_upload_at, r.id AS registration_id, r.last_contact_at
      FROM license_servers ls
      LEFT JOIN registrations r ON r.license_server_id = ls.id AND r.removed_at IS NULL
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY ls.server_name, ls.id
      LIMIT ${q.limit + 1}`;
    const page = servers.slice(0, q.limit);
    const latest = await latestUsage(page.map((s) => s.id));
    const now = clock.now();
    const items: TLicenseServer[] = page.map((s) => ({
      id: s.id,
      serverName: s.server_name,
      hostname: s.hostname,
      instanceId: s.instance_id,
      registration: s.registration_id
        ? { id: s.registration_id, status: registrationStatus(s.last_contact_at, now, notReportingAfterHours) }
        : null,
      lastUploadAt: s.last_upload_at?.toISOString() ?? null,
      latest: latest.get(s.id) ?? [],
    }));
    const last = page[page.length - 1];
    return { items, nextCursor: servers.length > q.limit && last ? encodeCursor([last.server_name, last.id]) : null };
  }

  /** Per server and product/edition/model, the newest period's record from the latest-collected report. */
  async function latestUsage(serverIds: string[]) {
    const result = new Map<string, TLicenseServer['latest']>();
    if (!serverIds.length) return result;
    const rows = await db.$queryRaw<
      {
        license_server_id: string;
        product_code: string;
        edition: string;
        license_model: 'user-device' | 'concurrent';
        installed: number;
        in_use: number;
        period_start: Date;
      }[]
    >`
      SELECT DISTINCT ON (license_server_id, product_code, edition, license_model)
             license_server_id, product_code, edition, license_model, installed, in_use, period_start
      FROM usage_records WHERE license_server_id = ANY(${serverIds}::uuid[])
      ORDER BY license_server_id, product_code, edition, license_model, period_start DESC, collected_at DESC, id DESC`;
    for (const row of rows) {
      const list = result.get(row.license_server_id) ?? [];
      list.push({
        productCode: row.product_code,
        edition: row.edition,
        licenseModel: row.license_model,
        installed: row.installed,
        inUse: row.in_use,
        periodStart: row.period_start.toISOString(),
      });
      result.set(row.license_server_id, list);
    }
    return result;
  }

  async function get(admin: AdminContext, id: string): Promise<TLicenseServer> {
    const { items } = await list(admin, { id, limit: 1 });
    if (!items[0]) throw notFound();
    return items[0];
  }

  async function findOwn(admin: AdminContext, id: string) {
    const server = await db.licenseServer.findFirst({ where: { id, customerId: admin.customerId } });
    if (!server) throw notFound();
    return server;
  }

  /** One point per day: per period the latest-collected record wins, then the day's highest values. */
  async function usage(
    admin: AdminContext,
    id: string,
    range: { from?: string | undefined; to?: string | undefined },
  ): Promise<TUsageSeries> {
    const server = await findOwn(admin, id);
    const today = new Date(clock.now().toISOString().slice(0, 10));
    const to = range.to ? new Date(range.to) : today;
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - 29 * DAY_MS);
    if (from > to)
      throw new AppError('invalid_request', '"from" must not be after "to".', {
        details: [{ path: ['from'], message: 'after to' }],
      });
    if (to.getTime() - from.getTime() > 800 * DAY_MS)
      throw new AppError('invalid_request', 'Ask for at most 800 days at a time.');
    const rows = await db.$queryRaw<
      {
        product_code: string;
        edition: string;
        license_model: 'user-device' | 'concurrent';
        day: string;
        installed: number;
        in_use: number;
        peak_in_use: number;
      }[]
    >`
      WITH latest AS (
        SELECT DISTINCT ON (period_start, product_code, edition, license_model)
               period_start, product_code, edition, license_model, installed, in_use, peak_in_use
        FROM usage_records
        WHERE license_server_id = ${server.id}::uuid
          AND period_start >= ${from} AND period_start < ${new Date(to.getTime() + DAY_MS)}
        ORDER BY period_start, product_code, edition, license_model, collected_at DESC, id DESC)
      SELECT product_code, edition, license_model, to_char(period_start AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
             max(installed)::int AS installed, max(in_use)::int AS in_use, max(peak_in_use)::int AS peak_in_use
      FROM latest GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
    const series = new Map<string, TUsageSeries['series'][number]>();
    for (const row of rows) {
      const key = `${row.product_code}\u0000${row.edition}\u0000${row.license_model}`;
      const entry = series.get(key) ?? {
        productCode: row.product_code,
        edition: row.edition,
        licenseModel: row.license_model,
        points: [],
      };
      entry.points.push({ day: row.day, installed: row.installed, inUse: row.in_use, peakInUse: row.peak_in_use });
      series.set(key, entry);
    }
    return { series: [...series.values()] };
  }

  /** Permanent and all-or-nothing: the records and the audit event commit together. Report ids stay. */
  async function deleteData(
    admin: AdminContext,
    id: string,
    ack: { acknowledgePermanent?: boolean | undefined; acknowledgeCollectionContinues?: boolean | undefined },
  ) {
    if (ack.acknowledgePermanent !== true || ack.acknowledgeCollectionContinues !== true) {
      throw new AppError(
        'acknowledgement_required',
        'Confirm both that the deletion is permanent and that collection continues while the server stays registered.',
      );
    }
    const server = await findOwn(admin, id);
    const deletedRecords = await db.$transaction(
      async (tx) => {
        const count = await deletePaced(tx, server.id);
        await audit.record(tx, {
          customerId: admin.customerId,
          actor: admin.actor,
          action: 'usage.deleted',
          target: { type: 'license_server', id: server.id, label: server.serverName },
          details: { deletedRecords: count },
        });
        return count;
      },
      { timeout: 60_000 },
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
  async function deletePaced(tx: Pick<Db, '$executeRaw' | '$queryRaw'>, serverId: string): Promise<number> {
    const reports = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM usage_reports WHERE license_server_id = ${serverId}::uuid`;
    const ids = reports.map((r) => r.id);
    const count = await deleteSteps(tx, serverId, ids);
    // Last, so that the server row (which uploads update too) is locked only until the commit:
    // its last upload is now the newest report accepted meanwhile, if any.
    await tx.$executeRaw`
      UPDATE license_servers SET last_upload_at = (
        SELECT max(received_at) FROM usage_reports WHERE license_server_id = ${serverId}::uuid AND id <> ALL(${ids}::uuid[]))
      WHERE id = ${serverId}::uuid`;
    return count;
  }

  async function deleteSteps(tx: Pick<Db, '$executeRaw' | '$queryRaw'>, serverId: string, ids: string[]) {
    if (!ids.length) return 0;
    const [range] = await tx.$queryRaw<{ first: Date | null; last: Date | null }[]>`
      SELECT min(period_start) AS first, max(period_start) AS last FROM usage_records
      WHERE license_server_id = ${serverId}::uuid AND usage_report_id = ANY(${ids}::uuid[])`;
    if (!range?.first || !range.last) return 0;
    const started = Date.now();
    let count = 0;
    for (let from = range.first.getTime(); from <= range.last.getTime(); from += DELETE_STEP_MS) {
      const stepStarted = Date.now();
      count += await tx.$executeRaw`
        DELETE FROM usage_records WHERE license_server_id = ${serverId}::uuid
          AND period_start >= ${new Date(from)} AND period_start < ${new Date(from + DELETE_STEP_MS)}
          AND usage_report_id = ANY(${ids}::uuid[])`;
      const took = Date.now() - stepStarted;
      if (Date.now() - started + 2 * took < DELETE_PACING_MS)
        await new Promise((resolve) => setTimeout(resolve, 2 * took));
    }
    return count;
  }

  return { list, get, usage, deleteData };
}

export type LicenseServerService = ReturnType<typeof createLicenseServerService>;
