import { isApiError } from '../../../lib/api-client.ts';
import { minutesToWait, plural } from '../../../lib/format.ts';

export const INVALID_CODE_TEXT = 'That is not a valid code: it has 8 letters and digits, like 7KQ4-MZ2P.';

/** Why a code did not work, in words an admin can act on. */
export function codeErrorText(error: unknown): string {
  if (!isApiError(error)) return 'Something went wrong. Try again.';
  switch (error.error) {
    case 'invalid_request':
      return INVALID_CODE_TEXT;
    case 'code_not_found':
      return 'No registration request has this code. Check the code shown on the License Server.';
    case 'expired_code':
      return 'This code has expired. Start the registration again on the License Server to get a new code.';
    case 'code_already_used':
      return 'This code has already been used: the server was registered or the request was denied.';
    case 'rate_limited':
      return `Too many attempts with codes that did not work. Try again in ${plural(minutesToWait(error.retryAfter), 'minute', 'minutes')}.`;
    default:
      return `Something went wrong: ${error.message}`;
  }
}
