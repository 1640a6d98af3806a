import type { TRegistrationStatus } from '@reg/contracts/console-api';
import { Prisma, type Db } from '@reg/db/client';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { AppError } from '../../lib/errors.ts';
import type { RegistrationRow } from './registrations.service.ts';

export interface ListQuery {
  query?: string | undefined;
  status?: TRegistrationStatus | undefined;
  sort: 'serverName' | 'registeredAt' | 'lastContactAt';
  order: 'asc' | 'desc';
  cursor?: string | undefined;
  limit: number;
}

// Sort keys are SQL expressions; never-contacted rows sort as the oldest contact.
const SORT_KEY = {
  serverName: Prisma.sql`r.server_name`,
  registeredAt: Prisma.sql`r.registered_at`,
  lastContactAt: Prisma.sql`COALESCE(r.last_contact_at, 'epoch'::timestamptz)`,
} as const;

/** Escapes LIKE's wildcards so a search for "50%" means the text "50%". */
export const likeContains = (text: string) => `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * Active registrations of one customer, keyset-paginated on (sort key, id): no duplicates
 * or gaps while rows are added, and any page costs the same as the first.
 */
export async function listActiveRegistrations(
  db: Db,
  customerId: string,
  q: ListQuery,
  now: Date,
  notReportingAfterHours: number,
) {
  const rows = await db.$queryRaw<(RawRow & { sort_value: string | Date })[]>(
    listQuery(customerId, q, now, notReportingAfterHours),
  );
  const page = rows.slice(0, q.limit).map(fromRaw);
  const last = rows[q.limit - 1];
  const nextCursor =
    rows.length > q.limit && last
      ? encodeCursor([last.sort_value instanceof Date ? last.sort_value.toISOString() : last.sort_value, last.id])
      : null;
  return { rows: page, nextCursor };
}

/** The list's SQL, exported so a test can EXPLAIN exactly what runs. */
export function listQuery(customerId: string, q: ListQuery, now: Date, notReportingAfterHours: number): Prisma.Sql {
  const key = SORT_KEY[q.sort];
  const conditions = [Prisma.sql`r.customer_id = ${customerId}::uuid`, Prisma.sql`r.removed_at IS NULL`];
  if (q.query) {
    const pattern = likeContains(q.query);
    conditions.push(Prisma.sql`(r.server_name ILIKE ${pattern} OR r.hostname ILIKE ${pattern})`);
  }
  const staleBefore = new Date(now.getTime() - notReportingAfterHours * 3600_000);
  if (q.status === 'never-contacted') conditions.push(Prisma.sql`r.last_contact_at IS NULL`);
  if (q.status === 'reporting') conditions.push(Prisma.sql`r.last_contact_at > ${staleBefore}`);
  if (q.status === 'not-reporting') conditions.push(Prisma.sql`r.last_contact_at <= ${staleBefore}`);
  if (q.cursor) {
    const [value, id] = decodeCursor<[string, string]>(q.cursor, ['string', 'string']);
    const typed = q.sort === 'serverName' ? Prisma.sql`${value}` : Prisma.sql`${parseTime(value)}::timestamptz`;
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw badCursor();
    conditions.push(
      q.order === 'asc'
        ? Prisma.sql`(${key}, r.id) > (${typed}, ${id}::uuid)`
        : Prisma.sql`(${key}, r.id) < (${typed}, ${id}::uuid)`,
    );
  }
  const direction = q.order === 'asc' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  return Prisma.sql`
    SELECT r.*, ${key} AS sort_value FROM registrations r
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ${key} ${direction}, r.id ${direction}
    LIMIT ${q.limit + 1}`;
}

function parseTime(value: string): Date {
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw badCursor();
  return time;
}

const badCursor = () =>
  new AppError('invalid_request', 'The cursor is not one this API gave out.', {
    details: [{ path: ['cursor'], message: 'invalid cursor' }],
  });

interface RawRow {
  id: string;
  customer_id: string;
  license_server_id: string;
  instance_id: string;
  product: string;
  product_version: string;
  server_name: string;
  hostname: string;
  os: string | null;
  registered_at: Date;
  registered_by_id: string | null;
  registered_by_email: string;
  credential_hash: string | null;
  last_contact_at: Date | null;
  removed_at: Date | null;
  removed_reason: string | null;
}

function fromRaw(row: RawRow): RegistrationRow {
  return {
    id: row.id,
    customerId: row.customer_id,
    licenseServerId: row.license_server_id,
    instanceId: row.instance_id,
    product: row.product,
    productVersion: row.product_version,
    serverName: row.server_name,
    hostname: row.hostname,
    os: row.os,
    registeredAt: row.registered_at,
    registeredById: row.registered_by_id,
    registeredByEmail: row.registered_by_email,
    credentialHash: row.credential_hash,
    lastContactAt: row.last_contact_at,
    removedAt: row.removed_at,
    removedReason: row.removed_reason,
  };
}

/**
 * Marks the customer's active registrations among `ids` removed and returns the rows it changed.
 * One conditional UPDATE: of two overlapping bulk removals each row is changed (and audited) once.
 */
export function removeActiveRegistrations(
  tx: Prisma.TransactionClient,
  customerId: string,
  ids: readonly string[],
  now: Date,
): Promise<RegistrationRow[]> {
  return tx.registration.updateManyAndReturn({
    where: { id: { in: [...ids] }, customerId, removedAt: null },
    data: { removedAt: now, removedReason: 'admin' },
  });
}
