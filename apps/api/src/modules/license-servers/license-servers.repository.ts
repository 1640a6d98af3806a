import { Prisma, type Db } from '@reg/db/client';
import type { KeyValue } from '../../lib/keyset.ts';
import { likeContains } from '../../lib/like.ts';

interface ServerFilter {
  query?: string | undefined;
  id?: string | undefined;
}

export interface ListedServer {
  id: string;
  server_name: string;
  hostname: string;
  instance_id: string;
  last_upload_at: Date | null;
  registration_id: string | null;
  last_contact_at: Date | null;
}

/** Servers with usage data or an active (approved) registration, by name, after a (server_name, id) key. */
export function listServers(
  db: Db,
  customerId: string,
  q: ServerFilter,
  after: KeyValue[] | null,
  take: number,
): Promise<ListedServer[]> {
  const conditions = [
    Prisma.sql`ls.customer_id = ${customerId}::uuid`,
    Prisma.sql`(EXISTS (SELECT 1 FROM registrations r WHERE r.license_server_id = ls.id AND r.removed_at IS NULL AND NOT r.pending_approval)
                OR EXISTS (SELECT 1 FROM usage_latest u WHERE u.license_server_id = ls.id))`,
  ];
  if (q.query) {
    const pattern = likeContains(q.query);
    conditions.push(Prisma.sql`(ls.server_name ILIKE ${pattern} OR ls.hostname ILIKE ${pattern})`);
  }
  if (q.id) conditions.push(Prisma.sql`ls.id = ${q.id}::uuid`);
  if (after) conditions.push(Prisma.sql`(ls.server_name, ls.id) > (${after[0]}, ${after[1]}::uuid)`);
  return db.$queryRaw<ListedServer[]>`
    SELECT ls.id, ls.server_name, ls.hostname, ls.instance_id, ls.last_upload_at, r.id AS registration_id, r.last_contact_at
    FROM license_servers ls
    -- A registration pending approval is not a license server's yet.
    LEFT JOIN registrations r ON r.license_server_id = ls.id AND r.removed_at IS NULL AND NOT r.pending_approval
    WHERE ${Prisma.join(conditions, ' AND ')}
    ORDER BY ls.server_name, ls.id
    LIMIT ${take}`;
}
