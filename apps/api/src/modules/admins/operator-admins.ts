import type { TAddAdminRequest, TAdmin, TAdminRole } from '@reg/contracts/admins-api';
import type { Db } from '@reg/db/client';
import { hashPassword } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import type { PasswordQueue } from '../../lib/password-queue.ts';
import { actorOf, type OperatorPrincipal } from '../../lib/principal.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { adminTarget, normaliseEmail, toAdmin } from './admin-view.ts';
import {
  emailTaken,
  findCustomers,
  findPersonByEmail,
  insertCustomer,
  insertMembership,
  type AdminRow,
} from './admins.repository.ts';

/**
 * Admins the operator adds (the operator CLI, and the first admin at first start): active at
 * once with a password the operator gives, temporary unless `permanent`. Part of the admin
 * service (createAdminService spreads it in), so the CLI and the seed go through the API's rules.
 */
export function createOperatorAdmins({
  db,
  audit,
  passwords,
}: {
  db: Db;
  audit: AuditService;
  passwords: PasswordQueue;
}) {
  /** Every scrypt goes through the password queue, so adding admins can't starve sign-ins. */
  async function queuedHash(password: string): Promise<string> {
    const place = passwords.enter();
    try {
      return await place.hash(() => hashPassword(password));
    } finally {
      place.leave();
    }
  }

  /**
   * The operator CLI adds an active admin with the password given, temporary unless
   * `permanent`. An email that is a person already (of another customer) keeps its password.
   */
  async function addWithPassword(
    principal: OperatorPrincipal,
    input: TAddAdminRequest,
    password: string,
    options: { permanent?: boolean } = {},
  ): Promise<{ admin: TAdmin; existingPerson: boolean }> {
    const email = normaliseEmail(input.email);
    if (await emailTaken(db, principal.customerId, email)) throw new AppError('admin_exists');
    const { existingPerson, passwordHash } = await passwordOf(email, password);
    try {
      const row = await db.$transaction((tx) =>
        insertActive(tx, principal.customerId, actorOf(principal), {
          email,
          role: input.role,
          password: passwordHash ? { hash: passwordHash, temporary: !options.permanent } : null,
        }),
      );
      return { admin: toAdmin(row), existingPerson };
    } catch (error) {
      if ((error as { code?: unknown }).code === 'P2002') throw new AppError('admin_exists');
      throw error;
    }
  }

  /**
   * A new customer with its first admin (operator CLI and first start only), whose password is
   * temporary unless `permanent`. Names pick a customer in the operator CLI, so two alike (case
   * aside) are refused: the one taken is answered.
   */
  async function createCustomer(
    by: Omit<OperatorPrincipal, 'customerId'>,
    input: { name: string; email: string; password: string; role: TAdminRole; permanent?: boolean },
  ): Promise<{ created: { id: string; name: string } } | { taken: { id: string; name: string } }> {
    const [taken] = await findCustomers(db, { name: input.name });
    if (taken) return { taken };
    const email = normaliseEmail(input.email);
    const { passwordHash } = await passwordOf(email, input.password);
    return db.$transaction(async (tx) => {
      const customer = await insertCustomer(tx, input.name);
      await insertActive(tx, customer.id, actorOf({ ...by, customerId: customer.id }), {
        email,
        role: input.role,
        password: passwordHash ? { hash: passwordHash, temporary: !input.permanent } : null,
      });
      return { created: customer };
    });
  }

  /** A person who exists already keeps their password; a new one gets the operator's, hashed. */
  async function passwordOf(email: string, password: string) {
    const existingPerson = (await findPersonByEmail(db, email)) !== null;
    return { existingPerson, passwordHash: existingPerson ? null : await queuedHash(password) };
  }

  /** An active membership added by the operator (CLI or first start), audited with it. */
  async function insertActive(
    tx: Tx,
    customerId: string,
    actor: ReturnType<typeof actorOf>,
    input: { email: string; role: TAdminRole; password: { hash: string; temporary: boolean } | null },
  ): Promise<AdminRow> {
    const created = await insertMembership(tx, { customerId, status: 'active', ...input });
    await audit.record(tx, {
      customerId,
      actor,
      action: 'admin.added',
      target: adminTarget(created),
      details: { role: created.role as TAdminRole },
    });
    return created;
  }

  return { addWithPassword, createCustomer };
}
