import type { TRegistrationSort, TRegistrationStatus, TSortOrder } from '@reg/contracts/console-api';
import type { TRemovalReason } from '@reg/contracts/events';
import { Prisma, type Db } from '@reg/db/client';
import type { KeyKind, KeyValue } from '../../lib/keyset.ts';
import { likeContains } from '../../lib/like.ts';
import type { Tx } from '../../lib/tx.ts';

export type RegistrationRow = NonNullable<Awaited<ReturnType<Db['registration']['findFirst']>>>;

export interface ListQuery {
  query?: string | undefined;
  status?: TRegistrationStatus | undefined;
  tag?: string | undefined;
  sort: TRegistrationSort;
  order: TSortOrder;
  cursor?: string | undefined;
  limit: number;
}

// Sort keys are SQL expressions; never-contacted rows sort as the oldest contact.
const SORT_KEY: Record<TRegistrationSort, Prisma.Sql> = {
  serverName: Prisma.sql`r.server_name`,
  registeredAt: Prisma.sql`r.registered_at`,
  lastContactAt: Prisma.sql`COALESCE(r.last_contact_at, 'epoch'::timestamptz)`,
};

/** What a list's rows must match, and their order; the page itself is keyset.ts's. */
type ListFilter = Omit<ListQuery, 'cursor' | 'limit'>;

/** The kinds of a list cursor's values: the sort key, then the id. */
export const listKinds = (sort: ListQuery['sort']): readonly KeyKind[] =>
  sort === 'serverName' ? ['text', 'uuid'] : ['timestamp', 'uuid'];

type ListedRegistration = RegistrationRow & {
  sortValue: string | Date;
  /** The key's description, joined in (null when not registered by key). */
  registrationKeyDescription: string | null;
};

interface ListArgs {
  customerId: string;
  filter: ListFilter;
  /** The decoded cursor (keyset.ts), or null for the first page. */
  after: KeyValue[] | null;
  take: number;
  now: Date;
  notReportingAfterHours: number;
}

/** A registration row's columns under the Prisma client's field names, so raw rows need no mapping. */
const COLUMNS = Prisma.sql`r.id, r.customer_id AS "customerId", r.license_server_id AS "licenseServerId",
  r.instance_id AS "instanceId", r.product, r.product_version AS "productVersion", r.server_name AS "serverName",
  r.hostname, r.os, r.registered_at AS "registeredAt", r.registered_by_id AS "registeredById",
  r.registered_by_email AS "registeredByEmail", r.credential_hash AS "credentialHash",
  r.last_contact_at AS "lastContactAt", r.removed_at AS "removedAt", r.removed_reason AS "removedReason",
  r.removal_scheduled_at AS "removalScheduledAt", r.registration_key_id AS "registrationKeyId",
  r.pending_approval AS "pendingApproval", r.tags, r.machine_fingerprint AS "machineFingerprint",
  r.fingerprint_seen_at AS "fingerprintSeenAt", r.duplicate_refused_at AS "duplicateRefusedAt"`;

/**
 * Active registrations of one customer after a (sort key, id), keyset-paginated by the
 * caller: no duplicates or gaps while rows are added, and any page costs the same as the first.
 */
export function listActiveRegistrations(db: Tx, args: ListArgs): Promise<ListedRegistration[]> {
  return db.$queryRaw<ListedRegistration[]>(listQuery(args));
}

/** The list's SQL, exported so a test can EXPLAIN exactly what runs. */
export function listQuery({ customerId, filter: q, after, take, now, notReportingAfterHours }: ListArgs): Prisma.Sql {
  const key = SORT_KEY[q.sort];
  const conditions = [Prisma.sql`r.customer_id = ${customerId}::uuid`, Prisma.sql`r.removed_at IS NULL`];
  if (q.query) {
    const pattern = likeContains(q.query);
    conditions.push(Prisma.sql`(r.server_name ILIKE ${pattern} OR r.hostname ILIKE ${pattern})`);
  }
  const staleBefore = new Date(now.getTime() - notReportingAfterHours * 3600_000);
  // Contains the tag: the GIN index on listed rows' tags (registrations_listed_tags).
  if (q.tag) conditions.push(Prisma.sql`r.tags @> ARRAY[${q.tag}]::text[]`);
  if (q.status === 'pending-approval') conditions.push(Prisma.sql`r.pending_approval`);
  if (q.status === 'never-contacted') conditions.push(Prisma.sql`r.last_contact_at IS NULL AND NOT r.pending_approval`);
  if (q.status === 'reporting') conditions.push(Prisma.sql`r.last_contact_at > ${staleBefore}`);
  if (q.status === 'not-reporting') conditions.push(Prisma.sql`r.last_contact_at <= ${staleBefore}`);
  if (after) {
    // Decoded by keyset.ts as listKinds says: a text or a Date, then a UUID.
    const [value, id] = after;
    const typed = value instanceof Date ? Prisma.sql`${value}::timestamptz` : Prisma.sql`${value}`;
    conditions.push(
      q.order === 'asc'
        ? Prisma.sql`(${key}, r.id) > (${typed}, ${id}::uuid)`
        : Prisma.sql`(${key}, r.id) < (${typed}, ${id}::uuid)`,
    );
  }
  const direction = q.order === 'asc' ? Prisma.sql`ASC` : Prisma.sql`DESC`;
  return Prisma.sql`
    SELECT ${COLUMNS}, ${key} AS "sortValue", k.description AS "registrationKeyDescription"
    FROM registrations r
    LEFT JOIN registration_keys k ON k.id = r.registration_key_id AND k.customer_id = r.customer_id
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ${key} ${direction}, r.id ${direction}
    LIMIT ${take}`;
}

/** The pending code an admin typed, by its keyed hash. */
export function findCodeByHash(tx: Tx, codeHash: string) {
  return tx.registrationCode.findUnique({ where: { codeHash } });
}

/** The single transition out of pending: true for the one caller that won it. */
export async function decideCode(tx: Tx, id: string, status: 'registered' | 'denied', now: Date): Promise<boolean> {
  const won = await tx.registrationCode.updateMany({
    where: { id, status: 'pending', expiresAt: { gt: now } },
    data: { status, decidedAt: now },
  });
  return won.count > 0;
}

/**
 * The upsert locks the server's row, so registrations of one server take turns. `rename`
 * false (a request waiting for approval) keeps an existing server's names as they are.
 */
export function upsertLicenseServer(
  tx: Tx,
  server: { customerId: string; instanceId: string; serverName: string; hostname: string },
  rename = true,
) {
  return tx.licenseServer.upsert({
    where: { customerId_instanceId: { customerId: server.customerId, instanceId: server.instanceId } },
    create: server,
    // An update of nothing still locks the row (ON CONFLICT DO UPDATE).
    update: rename ? { serverName: server.serverName, hostname: server.hostname } : { instanceId: server.instanceId },
  });
}

/** The customer's working registration of a server (pending-approval requests are not). */
export function findActiveByInstance(tx: Tx, customerId: string, instanceId: string) {
  return tx.registration.findMany({ where: { customerId, instanceId, removedAt: null, pendingApproval: false } });
}

type NewRegistration = Omit<
  RegistrationRow,
  | 'id'
  | 'credentialHash'
  | 'lastContactAt'
  | 'removedAt'
  | 'removedReason'
  | 'removalScheduledAt'
  | 'registrationKeyId'
  | 'pendingApproval'
  | 'tags'
  | 'machineFingerprint'
  | 'fingerprintSeenAt'
  | 'duplicateRefusedAt'
> &
  Partial<
    Pick<RegistrationRow, 'registrationKeyId' | 'pendingApproval' | 'tags' | 'machineFingerprint' | 'fingerprintSeenAt'>
  > & {
    /** Set at once for a request file's registration; a code's gets it when the product picks it up. */
    credentialHash?: string | null;
  };

export function insertRegistration(tx: Tx, data: NewRegistration) {
  return tx.registration.create({ data });
}

/** The code a registration was made from, pointing at it. */
export async function linkCode(tx: Tx, codeId: string, registrationId: string): Promise<void> {
  await tx.registrationCode.update({ where: { id: codeId }, data: { registrationId } });
}

export function findRegistration(db: Tx, customerId: string, id: string) {
  return db.registration.findFirst({ where: { id, customerId } });
}

export function findByCredentialHash(db: Tx, credentialHash: string) {
  return db.registration.findUnique({ where: { credentialHash } });
}

/** A heartbeat: the contact time of a live registration, and its customer; null once removed. */
export async function recordContact(db: Tx, registration: RegistrationRow, now: Date) {
  const updated = await db.registration.updateMany({
    where: { id: registration.id, removedAt: null },
    data: { lastContactAt: now },
  });
  if (updated.count === 0) return null;
  return db.customer.findUniqueOrThrow({ where: { id: registration.customerId }, select: { id: true, name: true } });
}

/**
 * Marks the customer's active registrations among `ids` removed and returns the rows it changed.
 * One conditional UPDATE: of two overlapping removals each row is changed (and audited) once.
 */
export function markRemoved(
  tx: Tx,
  removal: { customerId: string; ids: readonly string[]; now: Date; reason: TRemovalReason },
): Promise<RegistrationRow[]> {
  return tx.registration.updateManyAndReturn({
    where: { id: { in: [...removal.ids] }, customerId: removal.customerId, removedAt: null },
    data: { removedAt: removal.now, removedReason: removal.reason },
  });
}
