import { CliError, defineCommand } from '@reg/cli-kit/cli';
import { EXIT } from '@reg/cli-kit/exit-codes';
import { ZAdminRole } from '@reg/contracts/admins-api';
import { ZEmail } from '@reg/contracts/common';
import { z } from 'zod';
import { ZName } from './add-customer.ts';
import { operatorFor, passwordOf, refuseWeakPassword, type OperatorContext } from './context.ts';

export const addAdminCommand = defineCommand({
  name: 'add-admin',
  summary: 'Add an admin to a customer, with the password given.',
  options: {
    customer: { type: 'string', value: 'NAME_OR_ID', description: "the customer's name (case aside) or id" },
    email: { type: 'string', value: 'EMAIL', description: "the new admin's email" },
    'password-stdin': { type: 'boolean', description: 'read the password from standard input' },
    password: { type: 'string', value: 'PASSWORD', description: 'the password on the command line (seen in ps)' },
    role: { type: 'string', value: 'full|read-only', description: 'the role (default full)' },
    'permanent-password': {
      type: 'boolean',
      description: 'the password is not temporary (for automation that signs in with it)',
    },
  },
  examples: [
    `printf '%s\\n' "$PASSWORD" | npm run admin -- add-admin --customer "Acme" --email bo@acme.example --password-stdin`,
  ],
  async run(values, ctx: OperatorContext) {
    const ref = ZName.parse(values.customer);
    const email = ZEmail.parse(values.email).toLowerCase();
    const role = ZAdminRole.parse(values.role ?? 'full');
    const password = await passwordOf(ctx, values.password, values['password-stdin'], '--password');
    refuseWeakPassword(password, email, values['password-stdin'] ? '--password-stdin' : '--password');
    const customers = await ctx.admins.findCustomers(z.uuid().safeParse(ref).success ? { id: ref } : { name: ref });
    if (customers.length === 0)
      throw new CliError(`no customer "${ref}".`, EXIT.notFound, 'Check the name, or add it with add-customer.');
    // Only possible for names given before add-customer refused duplicates.
    if (customers.length > 1)
      throw new CliError(`several customers are named "${ref}".`, EXIT.usage, "Give the customer's id instead.");
    const customer = customers[0]!;
    const added = await ctx.admins.addWithPassword(operatorFor(customer.id), { email, role }, password, {
      permanent: Boolean(values['permanent-password']),
    });
    ctx.out(
      added.existingPerson
        ? `Added admin ${email} to "${customer.name}" (${email} already administers another customer and keeps that password).`
        : `Added admin ${email} to "${customer.name}".${values['permanent-password'] ? '' : ' The password is temporary: it must be changed at the first sign-in.'}`,
    );
    return EXIT.ok;
  },
});
