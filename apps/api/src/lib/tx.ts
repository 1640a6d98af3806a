import type { Prisma } from '@reg/db/client';

/**
 * The one type for "a transaction, or the client outside one": every repository function
 * takes it. The Prisma client itself is assignable to it, so a read that needs no
 * transaction passes `db`.
 */
export type Tx = Prisma.TransactionClient;
