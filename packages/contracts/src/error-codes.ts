/**
 * Every error code the API answers with, its HTTP status and the message sent when the code
 * alone says enough (docs/protocol.md#errors). The API's errors, the console's error handling
 * and the License Server CLI's messages all key on TErrorCode, so a misspelt code does not
 * compile. A message that adds something specific to one place is given where it is thrown.
 */
export const ERROR_CODES = {
  invalid_request: { status: 400, message: 'The request is not valid; see details.' },
  acknowledgement_required: { status: 400, message: 'Confirm what this action does to go ahead.' },
  too_many_product_keys: {
    status: 400,
    message: 'A server may report at most 200 product keys (product code, edition, license model).',
  },
  unauthenticated: { status: 401, message: 'Sign in to continue.' },
  invalid_credentials: { status: 401, message: 'The email or password is wrong.' },
  invalid_poll_token: { status: 401, message: 'This poll token matches no registration code.' },
  invalid_credential: { status: 401, message: 'This credential matches no registration.' },
  invalid_client: { status: 401, message: 'The client id or secret is wrong.' },
  invalid_token: {
    status: 401,
    message: 'The bearer token is unknown or expired, or its client was deleted; get a new one.',
  },
  registration_removed: { status: 401, message: 'This registration was removed; register the server again.' },
  csrf_failed: { status: 403, message: 'This request came from another site and was refused.' },
  access_denied: { status: 403, message: 'This is not allowed.' },
  forbidden: { status: 403, message: 'Your role may read and export only; ask an administrator with full access.' },
  not_found: { status: 404, message: 'Nothing was found at this address.' },
  code_not_found: { status: 404, message: 'No registration is waiting for this code; check it on the License Server.' },
  code_already_used: { status: 409, message: 'This code was already used; get a new code on the License Server.' },
  admin_exists: { status: 409, message: 'An administrator with this email already exists.' },
  last_full_admin: { status: 409, message: 'This would leave the account without an administrator with full access.' },
  cannot_remove_self: { status: 409, message: 'You cannot remove yourself; ask another administrator.' },
  report_conflict: { status: 409, message: 'A different report with this id was already accepted.' },
  channel_not_confirmed: {
    status: 409,
    message: 'This email channel is not confirmed yet; follow the link in the mail sent to it.',
  },
  request_already_used: {
    status: 409,
    message: 'This request file was already used; make a new one on the License Server.',
  },
  duplicate_instance: {
    status: 409,
    message:
      'Another machine uses this registration. If this machine is a copy (a cloned image or container), run ' +
      '`license-server register --reset` on it to register it as a server of its own.',
  },
  expired_code: { status: 410, message: 'This code has expired; get a new code on the License Server.' },
  code_consumed: { status: 410, message: 'This code was already used; the registration was delivered once.' },
  payload_too_large: { status: 413, message: 'The request body is larger than this endpoint accepts.' },
  unsupported_media_type: { status: 415, message: 'Send the body as application/json.' },
  unsupported_product: { status: 422, message: 'This product is not supported.' },
  unsupported_product_version: { status: 422, message: 'This product version is not supported.' },
  usage_sharing_required: { status: 422, message: 'Usage sharing must be on.' },
  request_file_invalid: { status: 422, message: 'This is not a registration request file from a License Server.' },
  email_not_configured: {
    status: 422,
    message: 'This server sends no email: set SMTP_URL (smtp:// or smtps://) and MAIL_FROM to add email channels.',
  },
  rate_limited: { status: 429, message: 'Too many requests; try again later.' },
  slow_down: { status: 429, message: 'Poll less often.' },
  internal_error: { status: 500, message: 'Something went wrong on our side.' },
  unavailable: { status: 503, message: 'The service is briefly unavailable; try again shortly.' },
  weak_password: {
    status: 400,
    message: 'Choose a password of 12 to 256 characters that is not a common one and not your email name.',
  },
  mfa_code_invalid: { status: 400, message: 'The code is wrong, was used already, or has expired.' },
  password_change_required: { status: 403, message: 'Change your password to continue.' },
  mfa_enrollment_required: { status: 403, message: 'Set up two-step verification to continue.' },
  password_incorrect: { status: 403, message: 'The password is wrong.' },
  sign_in_required: { status: 403, message: 'Sign in as the invited administrator to accept this invitation.' },
  invitation_not_found: {
    status: 404,
    message: 'This invitation link is unknown, used or replaced; ask an administrator for a new one.',
  },
  password_reset_not_found: { status: 404, message: 'This reset link is unknown or was used; ask for a new one.' },
  admin_active: { status: 409, message: 'This administrator accepted their invitation already.' },
  mfa_already_enabled: { status: 409, message: 'Two-step verification is on already.' },
  mfa_enrollment_not_started: { status: 409, message: 'Start setting up two-step verification first.' },
  mfa_not_enabled: { status: 409, message: 'Two-step verification is not on.' },
  mfa_required: { status: 409, message: 'This account requires two-step verification of every administrator.' },
  password_not_set: { status: 409, message: 'This administrator signs in with single sign-on and has no password.' },
  invitation_expired: { status: 410, message: 'This invitation has expired; ask an administrator for a new one.' },
  password_reset_expired: { status: 410, message: 'This reset link has expired; ask for a new one.' },
  sso_discovery_failed: {
    status: 400,
    message: "The identity provider's discovery document could not be used.",
  },
  sso_required: {
    status: 403,
    message: 'This account signs in with single sign-on; use "Sign in with single sign-on".',
  },
  email_domain_taken: { status: 409, message: 'Another account already uses this email domain for single sign-on.' },
  sso_not_tested: {
    status: 409,
    message: 'Sign in once with single sign-on before requiring it, so a mistake cannot lock everyone out.',
  },
  break_glass_requires_full: {
    status: 409,
    message: 'Only an active administrator with full access can be a break-glass administrator.',
  },
  break_glass_limit: { status: 409, message: 'An account may have at most 2 break-glass administrators.' },
  invalid_registration_key: {
    status: 401,
    message: 'The registration key was refused: it is unknown, expired, used up or revoked.',
  },
} as const satisfies Record<string, { status: number; message: string }>;

export type TErrorCode = keyof typeof ERROR_CODES;

/** Whether a string from the wire is one of our codes. */
export const isErrorCode = (value: string): value is TErrorCode => Object.hasOwn(ERROR_CODES, value);

/** Whether an error (the console's ApiError, the CLI's CloudError) carries this code. */
export const hasErrorCode = (error: { error: string }, code: TErrorCode): boolean => error.error === code;
