import { CliError } from '@reg/cli-kit/cli';
import { EXIT } from '@reg/cli-kit/exit-codes';
import { ZPassword } from '@reg/contracts/common';
import type { AdminService } from '../modules/admins/admins.service.ts';
import type { MfaReset } from '../modules/mfa/mfa-reset.ts';
import type { OperatorPrincipal } from '../lib/principal.ts';
import { passwordWeaknesses, PASSWORD_MAX, PASSWORD_MIN } from '../lib/password-policy.ts';

/** What an operator command works with: the same admins service as the API, and the input. */
export interface OperatorContext {
  admins: AdminService;
  /** Turns a person's two-step verification off (reset-mfa). */
  resetMfa: MfaReset;
  out(line: string): void;
  /** All of standard input (for --password-stdin). */
  readStdin(): Promise<string>;
}

/** Who the audit log names for the CLI's changes: whoever runs it on the server. */
export const operatorFor = (customerId: string): OperatorPrincipal => ({
  type: 'operator',
  customerId,
  label: 'Operator (admin CLI)',
});

/**
 * The password from --password (kept for scripts) or from standard input with --password-stdin,
 * which keeps it out of shell history and `ps`. One line; its line ending is not part of it.
 */
export async function passwordOf(
  ctx: OperatorContext,
  given: string | undefined,
  fromStdin: boolean | undefined,
  option: string,
): Promise<string> {
  if (given !== undefined && fromStdin)
    throw new CliError(`give ${option} or --password-stdin, not both.`, EXIT.usage, 'Prefer --password-stdin.');
  const password = fromStdin ? (await ctx.readStdin()).replace(/\r?\n$/, '') : given;
  if (password === undefined)
    throw new CliError(
      `a password is needed: --password-stdin (or ${option}).`,
      EXIT.usage,
      `printf '%s\\n' "$PASSWORD" | npm run admin -- … --password-stdin`,
    );
  return ZPassword.parse(password);
}

const RULES = {
  too_short: `it is shorter than ${PASSWORD_MIN} characters`,
  too_long: `it is longer than ${PASSWORD_MAX} characters`,
  contains_email: 'it contains the name part of the email',
  common: 'it is a common password',
} as const;

/** The password policy, as the console's: a weak password stops the command (exit 2), naming the rule. */
export function refuseWeakPassword(password: string, email: string, option: string): void {
  const reasons = passwordWeaknesses(password, email);
  if (reasons.length === 0) return;
  throw new CliError(
    `the password of ${option} is weak: ${reasons.map((reason) => RULES[reason]).join('; ')}.`,
    EXIT.usage,
    `Choose ${PASSWORD_MIN} to ${PASSWORD_MAX} characters, not a common password and not the email's name.`,
  );
}
