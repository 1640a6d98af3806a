import type { Tx } from './tx.ts';

/**
 * A statement and its rows, on whichever connection a transaction holds: node-postgres
 * directly (the upload's hot path; `name` makes it a prepared statement) or Prisma
 * (prismaQuery). SQL shared by both is written once, with $n parameters.
 */
export type Query = <T>(name: string, text: string, values: unknown[]) => Promise<T[]>;

/** A Prisma transaction (or client) as a Query. */
export const prismaQuery =
  (tx: Pick<Tx, '$queryRawUnsafe'>): Query =>
  <T>(_name: string, text: string, values: unknown[]) =>
    tx.$queryRawUnsafe<T[]>(text, ...values);
