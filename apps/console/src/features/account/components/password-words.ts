import { isApiError } from '../../../lib/api-client.ts';

/** Why the server refused a password form, in words (the weak-password message names every rule). */
export function passwordErrorText(error: unknown, fallback: string): string {
  if (isApiError(error, 'password_incorrect')) return 'The current password is wrong.';
  if (isApiError(error)) return error.message;
  return fallback;
}
