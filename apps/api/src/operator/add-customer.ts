import { CliError, defineCommand } from '@reg/cli-kit/cli';
import { EXIT } from '@reg/cli-kit/exit-codes';
import { ZAdminRole } from '@reg/contracts/admins-api';
import { ZEmail } from '@reg/contracts/common';
import { z } from 'zod';
import { operatorFor, passwordOf, refuseWeakPassword, type OperatorContext } from './context.ts';

export const ZName = z.string().trim().min(1).max(255);

export const addCustomerCommand = defineCommand({
  name: 'add-customer',
  summary: "Add a customer with its first admin; prints the new customer's id (names are unique).",
  options: {
    name: { type: 'string', value: 'NAME', description: "the customer's name" },
    'admin-email': { type: 'string', value: 'EMAIL', description: "the first admin's email" },
    'password-stdin': { type: 'boolean', description: "read the first admin's password from standard input" },
    'admin-password': {
      type: 'string',
      value: 'PASSWORD',
      description: 'the password on the command line (seen in ps)',
    },
    role: { type: 'string', value: 'full|read-only', description: "the first admin's role (default full)" },
    'permanent-password': {
      type: 'boolean',
      description: 'the password is not temporary (for automation that signs in with it)',
    },
  },
  examples: [
    `printf '%s\\n' "$PASSWORD" | npm run admin -- add-customer --name "Acme" --admin-email ana@acme.example --password-stdin`,
  ],
  async run(values, ctx: OperatorContext) {
    const name = ZName.parse(values.name);
    const email = ZEmail.parse(values['admin-email']).toLowerCase();
    const role = ZAdminRole.parse(values.role ?? 'full');
    const password = await passwordOf(ctx, values['admin-password'], values['password-stdin'], '--admin-password');
    refuseWeakPassword(password, email, values['password-stdin'] ? '--password-stdin' : '--admin-password');
    const permanent = Boolean(values['permanent-password']);
    const result = await ctx.admins.createCustomer(operatorFor(''), { name, email, password, role, permanent });
    if ('taken' in result)
      throw new CliError(
        `a customer named "${result.taken.name}" already exists (${result.taken.id}).`,
        EXIT.conflict,
        'Choose another name, or add admins to that customer with add-admin.',
      );
    ctx.out(
      `Added customer "${result.created.name}" with admin ${email}.${permanent ? '' : ' The password is temporary: it must be changed at the first sign-in.'}`,
    );
    ctx.out(`Customer id: ${result.created.id}`);
    return EXIT.ok;
  },
});
