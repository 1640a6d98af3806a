import path from 'node:path';
import { createDb, type Db, type DbOptions } from '@reg/db/client';
import { startEmbeddedPostgres } from '@reg/db/embedded';
import { migrate } from '@reg/db/migrator';
import type { Config } from './config.ts';

interface Database {
  db: Db;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; else an embedded PostgreSQL with its data under DATA_DIR.
 * Migrations are applied either way (under an advisory lock, so instances can start together).
 */
export async function openDatabase(config: Config, log: (line: string) => void = () => undefined): Promise<Database> {
  let url = config.DATABASE_URL;
  let stopEmbedded: () => Promise<void> = async () => undefined;
  if (!url) {
    const dataDir = path.resolve(config.DATA_DIR);
    log(`No DATABASE_URL: starting the embedded PostgreSQL in ${dataDir}`);
    const embedded = await startEmbeddedPostgres(dataDir);
    url = embedded.url;
    stopEmbedded = embedded.stop;
  }
  const { applied } = await migrate(config.MIGRATION_DATABASE_URL ?? url);
  if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
  const db = createDb(url, dbOptionsOf(config));
  return {
    db,
    url,
    embedded: !config.DATABASE_URL,
    close: async () => {
      await db.$disconnect();
      await stopEmbedded();
    },
  };
}

/** The pool's size and time limits from the settings. */
export function dbOptionsOf(
  config: Pick<
    Config,
    'DB_POOL_SIZE' | 'DB_STATEMENT_TIMEOUT_MS' | 'DB_CONNECT_TIMEOUT_MS' | 'DATABASE_POOL_MODE' | 'REQUEST_TIMEOUT_MS'
  >,
): DbOptions {
  return {
    requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
    poolSize: config.DB_POOL_SIZE,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    poolMode: config.DATABASE_POOL_MODE,
  };
}
