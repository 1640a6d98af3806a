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
    customer: {
      type: 'string',
      value: 'NAME_OR_ID',
      description: 'the customer, when the email administers several (name, case aside, or id)',
    },
    force: { type: 'boolean', description: "remove even a customer's last full admin" },
  },
  examples: ['npm run admin -- remove-admin --email bo@acme.example'],
  async run(values, ctx: OperatorContext) {
    const email = ZEmail.parse(values.email).toLowerCase();
    const person = await ctx.admins.findPersonByEmail(email);
    const ref = values.customer?.trim().toLowerCase();
    const memberships = (person?.memberships ?? []).filter(
      (m) => ref === undefined || m.customerId === ref || m.customer.name.toLowerCase() === ref,
    );
    if (memberships.length === 0)
      throw new CliError(`no admin ${email}.`, EXIT.notFound, 'Check the email (the console lists admins).');
    // One email may administer several customers: which one must then be said.
    if (memberships.length > 1)
      throw new CliError(`${email} administers several customers.`, EXIT.usage, 'Name one with --customer.');
    const admin = memberships[0]!;
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
