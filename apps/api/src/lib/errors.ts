import { ERROR_CODES, type TErrorCode } from '@reg/contracts/error-codes';

/** The codes, statuses and default messages are the contracts' (packages/contracts/src/error-codes.ts). */
export type ErrorCode = TErrorCode;

/** The HTTP status of every error code. */
export const ERROR_STATUS = Object.fromEntries(
  Object.entries(ERROR_CODES).map(([code, { status }]) => [code, status]),
) as { [Code in ErrorCode]: (typeof ERROR_CODES)[Code]['status'] };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra fields of the error body (e.g. minimumVersion, interval, details). */
  readonly extra: Record<string, unknown>;
  /** Seconds for the Retry-After header. */
  readonly retryAfter: number | undefined;

  // No parameter properties: erasable syntax, so Node's own type stripping can run this file.
  constructor(
    code: ErrorCode,
    message: string = ERROR_CODES[code].message,
    extra: Record<string, unknown> = {},
    retryAfter?: number,
  ) {
    super(message);
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.extra = extra;
    this.retryAfter = retryAfter;
  }
}

export const notFound = () => new AppError('not_found');
