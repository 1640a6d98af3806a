import { parseArgs } from 'node:util';
import { ZAdminRole } from '@reg/contracts/admins-api';
import { ZEmail, ZPassword } from '@reg/contracts/common';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { hashPassword } from './lib/crypto.ts';
import { createCustomerWithAdmin } from './seed.ts';
import { systemClock } from './lib/clock.ts';
import type { Actor } from './lib/principal.ts';
import { createAuditService } from './modules/audit/audit.service.ts';

const OPERATOR: Actor = { type: 'operator', id: null, label: 'operator CLI' };

const USAGE = `Operator commands (same database as the server: DATABASE_URL, or the embedded one under DATA_DIR):
  npm run admin -- add-customer --name NAME --admin-email EMAIL --admin-password PASSWORD [--role full|read-only]
  npm run admin -- add-admin --customer NAME_OR_ID --email EMAIL --password PASSWORD [--role full|read-only]
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
      role: { type: 'string', default: 'full' },
    },
  });
  if (!command || !['add-customer', 'add-admin', 'remove-admin'].includes(command)) {
    console.log(USAGE);
    return command === undefined || command === '--help' ? 0 : 2;
  }
  const role = ZAdminRole.parse(values.role);
  const database = await openDatabase(loadConfig());
  const { db } = database;
  // What the operator does is in the customer's audit log like anything else, as actor `operator`.
  const audit = createAuditService({ db, clock: systemClock });
  const record = (customerId: string, action: 'admin.added' | 'admin.removed', admin: { id: string; email: string }) =>
    audit.record(db, {
      customerId,
      actor: OPERATOR,
      action,
      target: { type: 'admin', id: admin.id, label: admin.email },
      details: { role: (admin as { role?: string }).role },
    });
  try {
    if (command === 'add-customer') {
      const name = ZName.parse(values.name);
      const email = ZEmail.parse(values['admin-email']).toLowerCase();
      const password = ZPassword.parse(values['admin-password']);
      const customer = await createCustomerWithAdmin(db, { name, email, password, role });
      await record(customer.id, 'admin.added', customer.admins[0]!);
      console.log(`Added customer "${customer.name}" (${customer.id}) with admin ${email} (${role}).`);
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
      const admin = await db.admin.create({
        data: { customerId: customers[0]!.id, email, passwordHash: await hashPassword(password), role },
      });
      await record(admin.customerId, 'admin.added', admin);
      console.log(`Added admin ${email} (${role}) to "${customers[0]!.name}".`);
    } else {
      const email = ZEmail.parse(values.email).toLowerCase();
      // Sessions and the API clients the admin made go with the admin (ON DELETE CASCADE), and
      // the clients' tokens with them: every browser and script of theirs stops at once.
      const clients = await db.apiClient.count({ where: { createdByAdmin: { email } } });
      const admin = await db.admin.findUnique({ where: { email } });
      if (!admin) throw new Error(`No admin ${email}.`);
      await db.admin.delete({ where: { id: admin.id } });
      await record(admin.customerId, 'admin.removed', admin);
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
