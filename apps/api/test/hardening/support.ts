import { randomInt } from 'node:crypto';
import { CODE_ALPHABET } from '@reg/contracts/short-code';
import { ERROR_STATUS } from '../../src/lib/errors.ts';

/** A code of the right shape that (with odds of one in 10^9 or so) no product asked for. */
export function randomCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

const KNOWN_ERRORS = new Set(Object.keys(ERROR_STATUS).filter((code) => code !== 'internal_error'));
/** What must never reach a client: stack frames, paths, driver and framework names. */
const LEAKS =
  /\bat \/|\bat [\w.<>]+ \(|node_modules|Prisma|prisma|PrismaClient|Error:|TypeError|SyntaxError|ReferenceError|FST_|ECONN|\bpg\b|postgres|SELECT |INSERT |relation "|\.ts:\d|\.js:\d/;

/**
 * The error body of docs/protocol.md and nothing internal: a known snake_case code whose status
 * matches the code table, a human message, no stack trace or driver/framework name.
 */
export function expectCleanError(
  response: { status: number; body: string; headers: Record<string, unknown> },
  context = '',
  /** What the client sent: a match that is only an echo of it (a key named in a validation detail) is no leak. */
  sent = '',
): { error: string; message: string } {
  const where = `${context} → ${response.status} ${response.body.slice(0, 300)}`;
  if (response.status >= 500 && response.status !== 503) throw new Error(`server error ${where}`);
  if (response.status < 400) throw new Error(`expected an error ${where}`);
  if (!String(response.headers['content-type'] ?? '').startsWith('application/json'))
    throw new Error(`error is not JSON ${where}`);
  let body: { error?: unknown; message?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new Error(`error body does not parse ${where}`);
  }
  if (typeof body.error !== 'string' || !KNOWN_ERRORS.has(body.error)) throw new Error(`unknown error code ${where}`);
  if (ERROR_STATUS[body.error as keyof typeof ERROR_STATUS] !== response.status)
    throw new Error(`status does not match the code ${where}`);
  if (typeof body.message !== 'string' || body.message.length === 0) throw new Error(`no message ${where}`);
  for (const match of response.body.matchAll(new RegExp(LEAKS.source, 'g'))) {
    if (!sent.includes(match[0]) && !JSON.stringify(sent).includes(match[0]))
      throw new Error(`internal detail "${match[0]}" leaked ${where}`);
  }
  return body as { error: string; message: string };
}
