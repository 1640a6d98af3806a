import { CliError, defineCommand } from '@reg/cli-kit/cli';
import { EXIT } from '@reg/cli-kit/exit-codes';
import { ZEmail } from '@reg/contracts/common';
import { operatorFor, type OperatorContext } from './context.ts';

export const resetMfaCommand = defineCommand({
  name: 'reset-mfa',
  summary: "Turn off a person's two-step verification (lost device and recovery codes): they set it up again.",
  options: {
    email: { type: 'string', value: 'EMAIL', description: "the person's email" },
  },
  examples: ['npm run admin -- reset-mfa --email bo@acme.example'],
  async run(values, ctx: OperatorContext) {
    const email = ZEmail.parse(values.email).toLowerCase();
    const result = await ctx.resetMfa(email, operatorFor);
    if (result === 'not_found')
      throw new CliError(`no admin ${email}.`, EXIT.notFound, 'Check the email (the console lists admins).');
    if (result === 'not_enabled')
      throw new CliError(`${email} has no two-step verification to reset.`, EXIT.conflict, 'Nothing to do.');
    ctx.out(`Two-step verification of ${email} is off; their recovery codes are void. They can set it up again.`);
    return EXIT.ok;
  },
});
