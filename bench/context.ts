import type { Db } from '@reg/db/client';
import type pg from 'pg';
import type { Session } from './fixtures.ts';
import type { Child } from './processes.ts';
import type { Figure } from './report.ts';

/** What every stage is given: the size of the run and where it reports (the table, the notes under it, the console). */
export interface RunContext {
  /** `--quick`: tiny sizes, each stage picks its own. */
  quick: boolean;
  figures: Figure[];
  notes: string[];
  log: (line: string) => void;
}

/** A stage that measures the servers: ours, the reference device-authorization server, and the database. */
export interface ServersContext extends RunContext {
  api: Child;
  oidc: Child;
  /** The bench's own clients: Prisma for the services it seeds through, node-postgres for plain SQL. */
  db: Db;
  pool: pg.Pool;
  /** The parent of every backend: PostgreSQL's CPU is counted over it and its children. */
  postmasterPid: number;
}

/** A stage that also needs the operator's console session (the seeded admin, signed in). */
export interface BenchContext extends ServersContext {
  operator: Session;
}
