import { asRetry, currentDeadline, inRetry, remainingMs } from './deadline.ts';

/** Least time left before the deadline for a retry to be worth starting. */
export const MIN_RETRY_MS = 500;

/**
 * The database could not be used, and nothing says the work itself was wrong: a connection
 * refused, reset or closed (class 08, ECONNREFUSED, ECONNRESET, "Connection terminated"), the
 * server shutting down or starting (57P01, 57P02, 57P03), or a pooler that lost the client's
 * prepared statements (26000, 42P05). Not a statement timeout (57014) nor a full pool (its
 * waits are bounded on their own): running again would only wait as long once more.
 */
const CODES =
  /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|57P01|57P02|57P03|08[0-9A-Z]{3}|26000|42P05|P1001|P1017)$/;
/** The driver adapter's names for the same (Prisma's DriverAdapterError). */
const KINDS = /^(DatabaseNotReachable|ConnectionClosed|SocketTimeout)$/;
const MESSAGES =
  /Connection terminated|terminating connection|server closed the connection|Connection ended unexpectedly|encountered a connection error|is not queryable|Can't reach database|Server has closed the connection/i;

export function isConnectionError(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { code, originalCode, kind, message } = e as Record<string, unknown>;
    if ([code, originalCode].some((c) => typeof c === 'string' && CODES.test(c))) return true;
    if (typeof kind === 'string' && KINDS.test(kind)) return true;
    if (typeof message === 'string' && MESSAGES.test(message)) return true;
    const next = e as { cause?: unknown; meta?: { driverAdapterError?: unknown } };
    e = next.cause ?? next.meta?.driverAdapterError;
  }
  return false;
}

/**
 * Whether a retry may start now: not inside one already (once means once), and, within a
 * request, only while it allows retries and time is left. Outside a request (background work)
 * a retry runs at once, bounded by its own timeouts.
 */
export function retryFits(): boolean {
  if (inRetry()) return false;
  const deadline = currentDeadline();
  return !deadline || (deadline.retries && remainingMs() > MIN_RETRY_MS);
}

/**
 * Runs an operation proven idempotent (running it twice leaves what running it once leaves,
 * and answers the same) and, when it failed on the connection, runs the whole of it once more
 * while the request's deadline allows: its connections then wait for the database to be back
 * (a failover, a pooler restart). A transaction that failed was rolled back, so the retry
 * starts from nothing; one that committed before its answer was lost must find its own work
 * done, which is what makes an operation idempotent here (uploads by report id, heartbeats).
 * Never for anything else: a code request or a console change that is run twice happens twice.
 */
export async function retryIdempotent<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!isConnectionError(error) || !retryFits()) throw error;
    return asRetry(operation);
  }
}
