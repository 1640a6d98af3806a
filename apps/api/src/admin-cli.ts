import { CliError, programHelp, runProgram, type Io, type Program } from '@reg/cli-kit/cli';
import { EXIT } from '@reg/cli-kit/exit-codes';
import type { Db } from '@reg/db/client';
import { text } from 'node:stream/consumers';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.ts';
import { openDatabase } from './database.ts';
import { systemClock } from './lib/clock.ts';
import { AppError } from './lib/errors.ts';
import { createStandaloneAdminService } from './admin-services.ts';
import { addAdminCommand } from './operator/add-admin.ts';
import { addCustomerCommand } from './operator/add-customer.ts';
import type { OperatorContext } from './operator/context.ts';
import { removeAdminCommand } from './operator/remove-admin.ts';
import { resetMfaCommand } from './operator/reset-mfa.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createMfaReset } from './modules/mfa/mfa-reset.ts';
import { createOutbox } from './modules/notifications/outbox.ts';

/** The operator's exit codes: the shared table's, under the names these commands use. */
export const OPERATOR_EXIT = {
  ok: EXIT.ok,
  unexpected: EXIT.unexpected,
  usage: EXIT.usage,
  notFound: EXIT.notFound,
  refused: EXIT.conflict,
} as const;

type Database = { db: Db; close(): Promise<void> };

/**
 * The operator CLI (`npm run admin`): customers and admins, through the same admins service as
 * the API, so the rules (the last full admin, what a removal deletes, the audit) cannot differ.
 */
function operatorProgram(
  openDb: () => Promise<Database>,
  io: Io,
  readStdin: () => Promise<string>,
): Program<OperatorContext & { close(): Promise<void> }> {
  return {
    name: 'npm run admin --',
    summary: 'Operator commands (same database as the server: DATABASE_URL, or the embedded one under DATA_DIR).',
    commands: [addCustomerCommand, addAdminCommand, removeAdminCommand, resetMfaCommand],
    common: {},
    exitCodes: {
      0: 'done',
      1: '',
      2: 'wrong command line',
      3: 'no such customer or admin',
      4: "refused: the name or email is taken, it is the customer's last full admin, or there is no two-step verification to reset",
    },
    async context() {
      const { db, close } = await openDb();
      const admins = createStandaloneAdminService(db, systemClock);
      const resetMfa = createMfaReset({
        db,
        audit: createAuditService({ db, clock: systemClock, outbox: createOutbox() }),
      });
      return { admins, resetMfa, out: io.out, readStdin, close };
    },
    dispose: (ctx) => ctx.close(),
    explain(error) {
      if (error instanceof z.ZodError)
        return new CliError(
          `invalid input: ${error.issues.map((i) => i.message).join('; ')}`,
          EXIT.usage,
          'See npm run admin -- <command> --help.',
        );
      if (error instanceof AppError && error.code === 'admin_exists')
        return new CliError('an admin with this email already exists.', EXIT.conflict, 'Choose another email.');
      if (error instanceof ConfigError)
        return new CliError(error.message, EXIT.unexpected, 'Fix the setting named above (docs/settings.md).');
      return undefined;
    },
  };
}

const processStdin = () => text(process.stdin);

export function operatorHelp(): string {
  const never = () => Promise.reject(new Error('help only'));
  return programHelp(operatorProgram(never, { out: () => {}, err: () => {} }, never) as Program<unknown>);
}

export function runOperatorCommand(
  argv: string[],
  openDb: () => Promise<Database>,
  io: Io,
  readStdin: () => Promise<string> = processStdin,
): Promise<number> {
  return runProgram(operatorProgram(openDb, io, readStdin), argv, io);
}

// Run only as the entry point (tests import runOperatorCommand).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const io: Io = { out: (line) => console.log(line), err: (line) => console.error(line) };
  // exit() rather than exitCode: nothing is left to wait for, and a stray handle must not keep the CLI up.
  process.exit(await runOperatorCommand(process.argv.slice(2), () => openDatabase(loadConfig()), io));
}
