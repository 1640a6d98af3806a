import { ZAdminRole, type TAdminRole } from '@reg/contracts/admins-api';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { Db } from '@reg/db/client';
import { ZEmail, ZPassword } from '@reg/contracts/common';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { systemClock } from './lib/clock.ts';
import { hashPassword } from './lib/crypto.ts';
import { createAuditService, type Actor, type AuditEntry } from './modules/audit/audit.service.ts';
import { createCustomerWithAdmin } from './seed.ts';

/** Distinct exit codes, so an operator's script can tell a refusal from a typo. */
export const OPERATOR_EXIT = { ok: 0, unexpected: 1, usage: 2, notFound: 3, refused: 4 } as const;

export const USAGE = `Operator commands (same database as the server: DATABASE_URL, or the embedded one under DATA_DIR):
  npm run admin -- add-customer --name NAME --admin-email EMAIL --admin-password PASSWORD [--role full|read-only]
                     (prints the new customer's id; customer names are unique)
  npm run admin -- add-admin --customer NAME_OR_ID --email EMAIL --password PASSWORD [--role full|read-only]
  npm run admin -- remove-admin --email EMAIL [--force]
                     (also ends the admin's sessions and deletes their API clients;
                      --force to remove a customer's last admin)

Exit codes:
  0  done
  1  unexpected error
  2  wrong command line (this text)
  3  no such customer or admin
  4  refused: the name or email is taken, or it is the customer's last admin`;

const COMMANDS = ['add-customer', 'add-admin', 'remove-admin'];
/** Who the audit log names for this CLI's changes: whoever runs it on the server. */
const OPERATOR: Actor = { type: 'operator', id: null, label: 'Operator (admin CLI)' };

function adminEvent(
  action: 'admin.added' | 'admin.removed',
  admin: { id: string; customerId: string; email: string; role: string },
  deletedApiClients = 0,
): AuditEntry<'admin.added' | 'admin.removed'> {
  const role = admin.role as TAdminRole;
  return {
    customerId: admin.customerId,
    actor: OPERATOR,
    target: { type: 'admin', id: admin.id, label: admin.email },
    ...(action === 'admin.added' ? { action, details: { role } } : { action, details: { role, deletedApiClients } }),
  };
}
const ZName = z.string().trim().min(1).max(255);

export interface OperatorIo {
  out(line: string): void;
  err(line: string): void;
}

/** A refusal or a miss, said in one line, with its exit code. */
class OperatorError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

export async function runOperatorCommand(
  argv: string[],
  openDb: () => Promise<{ db: Db; close(): Promise<void> }>,
  io: OperatorIo,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === 'help') {
    io.out(USAGE);
    return OPERATOR_EXIT.ok;
  }
  if (!command || !COMMANDS.includes(command)) {
    io.err(command ? `Unknown command "${command}".\n\n${USAGE}` : USAGE);
    return OPERATOR_EXIT.usage;
  }
  let database: { db: Db; close(): Promise<void> } | undefined;
  try {
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
        force: { type: 'boolean' },
      },
    });
    const role = ZAdminRole.parse(values.role);
    database = await openDb();
    const { db } = database;
    const audit = createAuditService({ db, clock: systemClock });
    if (command === 'add-customer') {
      const name = ZName.parse(values.name);
      const email = ZEmail.parse(values['admin-email']).toLowerCase();
      const password = ZPassword.parse(values['admin-password']);
      // Names pick a customer in add-admin, so two alike (case aside) would make it ambiguous.
      // Checked, not constrained: only operators add customers, one command at a time.
      const taken = await db.customer.findFirst({ where: { name: { equals: name, mode: 'insensitive' } } });
      if (taken)
        throw new OperatorError(
          `A customer named "${taken.name}" already exists (${taken.id}); choose another name.`,
          OPERATOR_EXIT.refused,
        );
      const customer = await createCustomerWithAdmin(db, { name, email, password, role });
      await audit.record(db, adminEvent('admin.added', customer.admins[0]!));
      io.out(`Added customer "${customer.name}" with admin ${email}.`);
      io.out(`Customer id: ${customer.id}`);
    } else if (command === 'add-admin') {
      const ref = ZName.parse(values.customer);
      const email = ZEmail.parse(values.email).toLowerCase();
      const password = ZPassword.parse(values.password);
      const customers = await db.customer.findMany({
        where: z.uuid().safeParse(ref).success ? { id: ref } : { name: { equals: ref, mode: 'insensitive' } },
      });
      if (customers.length === 0) throw new OperatorError(`No customer "${ref}".`, OPERATOR_EXIT.notFound);
      // Only possible for names given before add-customer refused duplicates.
      if (customers.length > 1)
        throw new OperatorError(`Several customers are named "${ref}"; use its id.`, OPERATOR_EXIT.usage);
      const passwordHash = await hashPassword(password);
      await db.$transaction(async (tx) => {
        const admin = await tx.admin.create({ data: { customerId: customers[0]!.id, email, passwordHash, role } });
        await audit.record(tx, adminEvent('admin.added', admin));
      });
      io.out(`Added admin ${email} to "${customers[0]!.name}".`);
    } else {
      const email = ZEmail.parse(values.email).toLowerCase();
      const admin = await db.admin.findFirst({ where: { email }, include: { customer: true } });
      if (!admin) throw new OperatorError(`No admin ${email}.`, OPERATOR_EXIT.notFound);
      const admins = await db.admin.count({ where: { customerId: admin.customerId } });
      if (admins === 1 && !values.force)
        throw new OperatorError(
          `${email} is the last admin of "${admin.customer.name}": no one could sign in to its console afterwards. Add another admin first, or repeat with --force.`,
          OPERATOR_EXIT.refused,
        );
      // Sessions and the API clients the admin made go with the admin (ON DELETE CASCADE), and
      // the clients' tokens with them: every browser and script of theirs stops at once.
      const clients = await db.$transaction(async (tx) => {
        const count = await tx.apiClient.count({ where: { createdByAdminId: admin.id } });
        await tx.admin.delete({ where: { id: admin.id } });
        await audit.record(tx, adminEvent('admin.removed', admin, count));
        return count;
      });
      io.out(`Removed admin ${email}, ended their sessions and deleted their ${clients} API client(s).`);
    }
    return OPERATOR_EXIT.ok;
  } catch (error) {
    return explain(error, io);
  } finally {
    await database?.close();
  }
}

/** One line on stderr for each way a command fails, and its exit code. */
function explain(error: unknown, io: OperatorIo): number {
  const code = (error as { code?: unknown }).code;
  if (error instanceof OperatorError) {
    io.err(error.message);
    return error.exitCode;
  }
  if (error instanceof z.ZodError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
    const message =
      error instanceof z.ZodError ? error.issues.map((i) => i.message).join('; ') : (error as Error).message;
    io.err(`Invalid input: ${message}\n\n${USAGE}`);
    return OPERATOR_EXIT.usage;
  }
  if (code === 'P2002') {
    io.err('An admin with this email already exists.');
    return OPERATOR_EXIT.refused;
  }
  io.err(error instanceof ConfigError ? error.message : (error as Error).message);
  return OPERATOR_EXIT.unexpected;
}

// Run only as the entry point (tests import runOperatorCommand).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: OperatorIo = { out: (line) => console.log(line), err: (line) => console.error(line) };
  // exit() rather than exitCode: nothing is left to wait for, and a stray handle must not keep the CLI up.
  process.exit(await runOperatorCommand(process.argv.slice(2), () => openDatabase(loadConfig()), io));
}
