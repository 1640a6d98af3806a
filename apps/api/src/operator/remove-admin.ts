import { CliError, defineCommand } from '@reg/cli-kit/cli';
import { EXIT } from '@reg/cli-kit/exit-codes';
import { ZEmail } from '@reg/contracts/common';
import { AppError } from '../lib/errors.ts';
import { operatorFor, type OperatorContext } from './context.ts';

export const removeAdminCommand = defineCommand({
  name: 'remove-admin',
  summary: 'Remove an admin: ends their sessions and deletes the API clients they made.',
  options: {
    email: { type: 'string', value: 'EMAIL', description: "the admin's email" },
    force: { type: 'boolean', description: "remove even a customer's last full admin" },
  },
  examples: ['npm run admin -- remove-admin --email bo@acme.example'],
  async run(values, ctx: OperatorContext) {
    const email = ZEmail.parse(values.email).toLowerCase();
    const admin = await ctx.admins.findByEmail(email);
    if (!admin) throw new CliError(`no admin ${email}.`, EXIT.notFound, 'Check the email (the console lists admins).');
    try {
      const { deletedApiClients } = await ctx.admins.remove(operatorFor(admin.customerId), admin.id, {
        force: Boolean(values.force),
      });
      ctx.out(`Removed admin ${email}, ended their sessions and deleted their ${deletedApiClients} API client(s).`);
      return EXIT.ok;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'last_full_admin') throw error;
      throw new CliError(
        `${email} is the last full admin of "${admin.customer.name}": no one could manage its console afterwards.`,
        EXIT.conflict,
        'Add another full admin first, or repeat with --force.',
      );
    }
  },
});
