/** Every error code the API answers with, and its HTTP status (docs/protocol.md#errors). */
export const ERROR_STATUS = {
  invalid_request: 400,
  acknowledgement_required: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_poll_token: 401,
  invalid_credential: 401,
  invalid_client: 401,
  invalid_token: 401,
  registration_removed: 401,
  csrf_failed: 403,
  access_denied: 403,
  not_found: 404,
  code_not_found: 404,
  code_already_used: 409,
  report_conflict: 409,
  expired_code: 410,
  code_consumed: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  unsupported_product: 422,
  unsupported_product_version: 422,
  usage_sharing_required: 422,
  email_not_configured: 422,
  rate_limited: 429,
  slow_down: 429,
  internal_error: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Extra fields of the error body (e.g. minimumVersion, interval). */
    readonly extra: Record<string, unknown> = {},
    /** Seconds for the Retry-After header. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = () => new AppError('not_found', 'Nothing was found at this address.');
