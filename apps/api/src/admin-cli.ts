import { parseArgs } from 'node:util';
import { ZEmail, ZPassword } from '@reg/contracts/common';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { hashPassword } from './lib/crypto.ts';
import { createCustomerWithAdmin } from './seed.ts';

const USAGE = `Operator commands (same database as the server: DATABASE_URL, or the embedded one under DATA_DIR):
  npm run admin -- add-customer --name NAME --admin-email EMAIL --admin-password PASSWORD
  npm run admin -- add-admin --customer NAME_OR_ID --email EMAIL --password PASSWORD
  npm run admin -- remove-admin --email EMAIL      (also ends the admin's sessions and deletes their API clients)`;

const ZName = z.string().trim().min(1).max(255);

async function main(argv: string[]) {
  const [command, ...rest] = argv;
  const { values } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      'admin-email': { type: 'string' },
      'admin-password': { type: 'string' },
      customer: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
    },
  });
  if (!command || !['add-customer', 'add-admin', 'remove-admin'].includes(command)) {
    console.log(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const database = await openDatabase(loadConfig());
  const { db } = database;
  try {
    if (command === 'add-customer') {
      const name = ZName.parse(values.name);
      const email = ZEmail.parse(values['admin-email']).toLowerCase();
      const password = ZPassword.parse(values['admin-password']);
      const customer = await createCustomerWithAdmin(db, { name, email, password });
      console.log(`Added customer "${customer.name}" (${customer.id}) with admin ${email}.`);
    } else if (command === 'add-admin') {
      const ref = ZName.parse(values.customer);
      const email = ZEmail.parse(values.email).toLowerCase();
      const password = ZPassword.parse(values.password);
      const customers = await db.customer.findMany({
        where: z.uuid().safeParse(ref).success ? { id: ref } : { name: ref },
      });
      if (customers.length !== 1)
        throw new Error(
          customers.length ? `Several customers are named "${ref}"; use its id.` : `No customer "${ref}".`,
        );
      await db.admin.create({
        data: { customerId: customers[0]!.id, email, passwordHash: await hashPassword(password) },
      });
      console.log(`Added admin ${email} to "${customers[0]!.name}".`);
    } else {
      const email = ZEmail.parse(values.email).toLowerCase();
      // Sessions and the API clients the admin made go with the admin (ON DELETE CASCADE), and
      // the clients' tokens with them: every browser and script of theirs stops at once.
      const clients = await db.apiClient.count({ where: { createdByAdmin: { email } } });
      const removed = await db.admin.deleteMany({ where: { email } });
      if (!removed.count) throw new Error(`No admin ${email}.`);
      console.log(`Removed admin ${email}, ended their sessions and deleted their ${clients} API client(s).`);
    }
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof z.ZodError)
      console.error(`Invalid input: ${error.issues.map((i) => i.message).join('; ')}\n\n${USAGE}`);
    else if (error instanceof ConfigError) console.error(error.message);
    else if ((error as { code?: string }).code === 'P2002') console.error('An admin with this email already exists.');
    else console.error((error as Error).message);
    process.exit(1);
  },
);
