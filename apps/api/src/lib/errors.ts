/**
 * Every error code the API answers with: its HTTP status and the message sent when the
 * code alone says enough (docs/protocol.md). A message that adds something specific to one
 * place is given where the error is thrown.
 */
export const ERRORS = {
  invalid_request: [400, 'The request is not valid; see details.'],
  acknowledgement_required: [400, 'Confirm what this action does to go ahead.'],
  too_many_product_keys: [400, 'A server may report at most 200 product keys (product code, edition, license model).'],
  unauthenticated: [401, 'Sign in to continue.'],
  invalid_credentials: [401, 'The email or password is wrong.'],
  invalid_poll_token: [401, 'This poll token matches no registration code.'],
  invalid_credential: [401, 'This credential matches no registration.'],
  invalid_client: [401, 'The client id or secret is wrong.'],
  invalid_token: [401, 'The bearer token is unknown or expired, or its client was deleted; get a new one.'],
  registration_removed: [401, 'This registration was removed; register the server again.'],
  csrf_failed: [403, 'This request came from another site and was refused.'],
  access_denied: [403, 'This is not allowed.'],
  forbidden: [403, 'Your role may read and export only; ask an administrator with full access.'],
  not_found: [404, 'Nothing was found at this address.'],
  code_not_found: [404, 'No registration is waiting for this code; check it on the License Server.'],
  code_already_used: [409, 'This code was already used; get a new code on the License Server.'],
  admin_exists: [409, 'An administrator with this email already exists.'],
  last_full_admin: [409, 'This would leave the account without an administrator with full access.'],
  cannot_remove_self: [409, 'You cannot remove yourself; ask another administrator.'],
  report_conflict: [409, 'A different report with this id was already accepted.'],
  request_already_used: [409, 'This request file was already used; make a new one on the License Server.'],
  expired_code: [410, 'This code has expired; get a new code on the License Server.'],
  code_consumed: [410, 'This code was already used; the registration was delivered once.'],
  payload_too_large: [413, 'The request body is larger than this endpoint accepts.'],
  unsupported_media_type: [415, 'Send the body as application/json.'],
  unsupported_product: [422, 'This product is not supported.'],
  unsupported_product_version: [422, 'This product version is not supported.'],
  usage_sharing_required: [422, 'Usage sharing must be on.'],
  request_file_invalid: [422, 'This is not a registration request file from a License Server.'],
  email_not_configured: [
    422,
    'This server sends no email: set SMTP_URL (smtp:// or smtps://) and MAIL_FROM to add email channels.',
  ],
  rate_limited: [429, 'Too many requests; try again later.'],
  slow_down: [429, 'Poll less often.'],
  internal_error: [500, 'Something went wrong on our side.'],
  unavailable: [503, 'The service is briefly unavailable; try again shortly.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERRORS;

/** The HTTP status of every error code. */
export const ERROR_STATUS = Object.fromEntries(Object.entries(ERRORS).map(([code, [status]]) => [code, status])) as {
  [Code in ErrorCode]: (typeof ERRORS)[Code][0];
};

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
    message: string = ERRORS[code][1],
    extra: Record<string, unknown> = {},
    retryAfter?: number,
  ) {
    super(message);
    this.code = code;
    this.status = ERRORS[code][0];
    this.extra = extra;
    this.retryAfter = retryAfter;
  }
}

export const notFound = () => new AppError('not_found');
