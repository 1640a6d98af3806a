import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ERROR_CODES } from '@reg/contracts/error-codes';
import { AppError, ERROR_STATUS, type ErrorCode } from '../lib/errors.ts';

/** Fastify's own errors that are the client's doing, by their code. */
const FASTIFY_ERRORS: Record<string, [ErrorCode, string?]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['payload_too_large'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['invalid_request', 'The Content-Length does not match the body.'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['unsupported_media_type'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['invalid_request', 'The JSON body is empty.'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['invalid_request', 'The body is not valid JSON.'],
  FST_ERR_CTP_EMPTY_TYPE: ['unsupported_media_type'],
  FST_ERR_CTP_INVALID_TYPE: ['unsupported_media_type'],
  FST_ERR_BAD_URL: ['not_found'],
  // zlib, inflating a gzip body that is not gzip.
  Z_DATA_ERROR: ['invalid_request', 'The body is not valid gzip.'],
  Z_BUF_ERROR: ['invalid_request', 'The gzip body is truncated.'],
};

/**
 * Error codes of the database driver and Prisma that mean "the database can't be reached" or
 * "not now": P2024 and P2028 are a pool or transaction that could not be had in time (a burst
 * of requests), rolled back, so a retry is safe. 57014 is a statement cancelled by
 * statement_timeout, 25P03 a transaction ended by idle_in_transaction_session_timeout, and
 * "Query read timeout" node-postgres giving up on a server that answers nothing (a frozen one),
 * DEADLINE_EXCEEDED work the request's deadline stopped before it began (request-deadline.ts).
 * Class 08, 26000 and 42P05 are a connection a pooler broke (its connection is closed).
 */
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|57P01|57P02|57P03|53300|Connection terminated|timeout exceeded when trying to connect|Can't reach database|Server has closed the connection|is not queryable|Query read timeout|57014|25P03|DEADLINE_EXCEEDED|P1001|P1002|P1017|P2024|P2028|\b(08\d{3}|08P01|26000|42P05)\b/i;

function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { code, message, name } = e as { code?: unknown; message?: unknown; name?: unknown };
    if (UNAVAILABLE.test(`${String(code)} ${String(message)}`)) return true;
    if (name === 'DriverAdapterError' && /connect|closed|terminat/i.test(String(message))) return true;
  }
  return false;
}

/**
 * Validation details are bounded: an invalid body of thousands of records would otherwise be
 * answered with one detail per record (megabytes). The first MAX_DETAILS are kept, long
 * strings are cut, and `omittedDetails` says how many were left out.
 */
const MAX_DETAILS = 20;
const MAX_ERROR_BODY_BYTES = 16 * 1024;
const MAX_DETAIL_MESSAGE = 300;
const MAX_PATH_SEGMENTS = 10;
const MAX_PATH_SEGMENT = 64;

const cut = (value: string, max: number) => (value.length > max ? `${value.slice(0, max - 1)}…` : value);

function boundDetail(detail: unknown): unknown {
  if (typeof detail !== 'object' || detail === null) return cut(String(detail), MAX_DETAIL_MESSAGE);
  const { path, message, location } = detail as { path?: unknown; message?: unknown; location?: unknown };
  return {
    ...(Array.isArray(path) && {
      path: path
        .slice(0, MAX_PATH_SEGMENTS)
        .map((segment) => (typeof segment === 'number' ? segment : cut(String(segment), MAX_PATH_SEGMENT))),
    }),
    ...(typeof location === 'string' && { location: cut(location, MAX_PATH_SEGMENT) }),
    message: cut(String(message ?? ''), MAX_DETAIL_MESSAGE),
  };
}

/** The error body, with `details` bounded in count and the whole body in bytes. */
function errorBody(code: ErrorCode, message: string, extra: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = { error: code, message, ...extra };
  if (!Array.isArray(extra.details)) return body;
  const all = extra.details as unknown[];
  const details = all.slice(0, MAX_DETAILS).map(boundDetail);
  const sized = () => ({
    ...body,
    details,
    ...(all.length > details.length && { omittedDetails: all.length - details.length }),
  });
  while (details.length > 1 && Buffer.byteLength(JSON.stringify(sized())) > MAX_ERROR_BODY_BYTES) details.pop();
  return sized();
}

/** The one way an error body is written (docs/protocol.md): { error, message, ...extra }. */
export function sendError(
  reply: FastifyReply,
  code: ErrorCode,
  message: string = ERROR_CODES[code].message,
  extra: Record<string, unknown> = {},
  retryAfter?: number,
) {
  if (retryAfter !== undefined) reply.header('Retry-After', String(retryAfter));
  return reply
    .status(ERROR_STATUS[code])
    .type('application/json')
    .send(errorBody(code, message, extra));
}
const send = sendError;

/** The internal error's message names the request, so a report can be matched to the log. */
export const internalErrorMessage = (requestId: string) =>
  `${ERROR_CODES.internal_error.message.replace(/\.$/, '')} (request ${requestId}).`;

/** One place turns every error into the body of docs/protocol.md#errors; nothing internal leaves the server. */
async function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return send(reply, error.code, error.message, error.extra, error.retryAfter);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((issue) => ({
        path: issue.instancePath.split('/').filter(Boolean),
        location: (error as { validationContext?: string }).validationContext,
        message: issue.message,
      }));
      return send(reply, 'invalid_request', undefined, { details });
    }
    const code = (error as FastifyError).code;
    const known = code ? FASTIFY_ERRORS[code] : undefined;
    if (known) return send(reply, known[0], known[1]);
    if ((error as FastifyError).statusCode === 400 && code?.startsWith('FST_')) {
      return send(reply, 'invalid_request', 'The request is not valid.');
    }
    if (isDatabaseUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      return send(reply, 'unavailable', undefined, {}, 5);
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, 'internal_error', internalErrorMessage(request.id));
  });

  app.setNotFoundHandler((request, reply) =>
    send(reply, 'not_found', `Nothing was found at ${request.method} ${request.url.split('?')[0]}.`),
  );
}

export default fp(errorHandler, { name: 'error-handler' });
