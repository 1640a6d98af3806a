import type { Db } from '@reg/db/client';
import type { Tx } from '../../lib/tx.ts';

export type ClientRow = NonNullable<Awaited<ReturnType<Db['apiClient']['findFirst']>>>;

interface NewClient {
  customerId: string;
  name: string;
  secretHash: string;
  createdAt: Date;
  createdByAdminId: string;
  createdByEmail: string;
}

export function listClients(db: Db, customerId: string) {
  return db.apiClient.findMany({ where: { customerId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

export function insertClient(tx: Tx, client: NewClient) {
  return tx.apiClient.create({ data: client });
}

export function findClient(tx: Tx, customerId: string, id: string) {
  return tx.apiClient.findFirst({ where: { id, customerId } });
}

export function findClientById(tx: Tx, id: string) {
  return tx.apiClient.findUnique({ where: { id } });
}

/** Its tokens go with it (ON DELETE CASCADE): they stop working at once. */
export async function deleteClient(tx: Tx, id: string): Promise<void> {
  await tx.apiClient.delete({ where: { id } });
}

export async function insertToken(db: Tx, clientId: string, tokenHash: string, expiresAt: Date, now: Date) {
  await db.apiClientToken.create({ data: { clientId, tokenHash, expiresAt } });
  await db.apiClient.update({ where: { id: clientId }, data: { lastUsedAt: now } });
}

/** A token with its client, the admin who made the client, and their customer: who acts, in one query. */
export function findTokenByHash(db: Db, tokenHash: string) {
  return db.apiClientToken.findUnique({
    where: { tokenHash },
    include: { client: { include: { createdByAdmin: { include: { customer: true } } } } },
  });
}

export async function deleteExpiredTokens(db: Db, now: Date): Promise<number> {
  const { count } = await db.apiClientToken.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
