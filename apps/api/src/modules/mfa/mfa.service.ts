import type { TMfaSignInRequest, TMfaStatus, TRecoveryCodes, TTotpEnrollment } from '@reg/contracts/identity-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { sha256 } from '../../lib/crypto.ts';
import { AppError } from '../../lib/errors.ts';
import { actorOf, type AdminPrincipal } from '../../lib/principal.ts';
import type { SealedBox } from '../../lib/sealed-box.ts';
import type { Tx } from '../../lib/tx.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { AccountService } from '../session/account.service.ts';
import {
  acceptStep,
  countUnusedRecoveryCodes,
  disableTotp,
  enableTotp,
  findPersonById,
  isMfaRequiredForPerson,
  replaceRecoveryCodes,
  savePendingSecret,
  useRecoveryCode,
} from './mfa.repository.ts';
import {
  RECOVERY_CODE_COUNT,
  acceptedStep,
  newRecoveryCode,
  newTotpSecret,
  otpauthUrl,
  parseRecoveryCode,
} from './totp.ts';

interface Deps {
  db: Db;
  clock: Clock;
  audit: AuditService;
  /** Confirms the caller's password (counted toward the sign-in limits). */
  account: Pick<AccountService, 'confirmPassword'>;
  /** Seals the TOTP secrets at rest, as the single sign-on client secret is. */
  secretBox: SealedBox;
  issuer: string;
}

/** A second step that passed: which method, and for a recovery code how many are left. */
type SecondStep = { method: 'totp' } | { method: 'recovery_code'; remaining: number };

/** Two-step verification (TOTP, RFC 6238) of a person: enrolment, recovery codes, checking a code. */
export function createMfaService({ db, clock, audit, account, secretBox, issuer }: Deps) {
  async function personOf(principal: AdminPrincipal) {
    const person = await findPersonById(db, principal.personId);
    if (!person) throw new AppError('unauthenticated');
    return person;
  }

  /** A change to the person's own account: they are both the actor and the target. */
  const recordOwn = (
    tx: Tx,
    principal: AdminPrincipal,
    action: 'mfa.enabled' | 'mfa.disabled' | 'mfa.recovery_codes_renewed',
  ) =>
    audit.record(tx, {
      customerId: principal.customerId,
      actor: actorOf(principal),
      action,
      target: { type: 'admin', id: principal.id, label: principal.email },
    });

  /** Draws recovery codes and stores their hashes; the codes as shown go back to the caller once. */
  async function issueRecoveryCodes(tx: Tx, personId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await replaceRecoveryCodes(
      tx,
      personId,
      codes.map((c) => sha256(parseRecoveryCode(c)!)),
      clock.now(),
    );
    return codes;
  }

  /** A new secret to confirm; asked again before confirming, it replaces the last one. */
  async function startEnrollment(principal: AdminPrincipal): Promise<TTotpEnrollment> {
    const person = await personOf(principal);
    if (person.totpEnabledAt) throw new AppError('mfa_already_enabled');
    // Single sign-on people have no password: the IdP is responsible for their second factor.
    if (!person.passwordHash) throw new AppError('password_not_set');
    const secret = newTotpSecret();
    await savePendingSecret(db, person.id, secretBox.seal(secret));
    return { secret, otpauthUrl: otpauthUrl(issuer, person.email, secret) };
  }

  async function confirmEnrollment(principal: AdminPrincipal, code: string): Promise<TRecoveryCodes> {
    const person = await personOf(principal);
    if (person.totpEnabledAt) throw new AppError('mfa_already_enabled');
    const secret = person.totpPendingSecret ? secretBox.open(person.totpPendingSecret) : null;
    if (!secret) throw new AppError('mfa_enrollment_not_started');
    const step = acceptedStep(secret, code, clock.now());
    // The last accepted step outlives turning it off and on (a code still works once).
    if (step === null || (person.totpLastStep !== null && BigInt(step) <= person.totpLastStep))
      throw new AppError('mfa_code_invalid');
    return db.$transaction(async (tx) => {
      if (!(await enableTotp(tx, person.id, person.totpPendingSecret!, step, clock.now())))
        throw new AppError('mfa_already_enabled');
      const recoveryCodes = await issueRecoveryCodes(tx, person.id);
      await recordOwn(tx, principal, 'mfa.enabled');
      return { recoveryCodes };
    });
  }

  async function disable(principal: AdminPrincipal, password: string, address: string): Promise<void> {
    const person = await personOf(principal);
    if (!person.totpEnabledAt) throw new AppError('mfa_not_enabled');
    if (await isMfaRequiredForPerson(db, person.id)) throw new AppError('mfa_required');
    await account.confirmPassword(principal, password, address);
    await db.$transaction(async (tx) => {
      await disableTotp(tx, person.id);
      await recordOwn(tx, principal, 'mfa.disabled');
    });
  }

  /** Ten new recovery codes; the old ones die. */
  async function renewRecoveryCodes(principal: AdminPrincipal, password: string, address: string) {
    const person = await personOf(principal);
    if (!person.totpEnabledAt) throw new AppError('mfa_not_enabled');
    await account.confirmPassword(principal, password, address);
    return db.$transaction(async (tx) => {
      const recoveryCodes = await issueRecoveryCodes(tx, person.id);
      await recordOwn(tx, principal, 'mfa.recovery_codes_renewed');
      return { recoveryCodes };
    });
  }

  /**
   * Checks the second step of a sign-in: a TOTP code newer than the last accepted one (taken
   * as the last in the same statement), or an unused recovery code (spent). Null when neither.
   */
  async function verifySecondStep(personId: string, input: TMfaSignInRequest): Promise<SecondStep | null> {
    const person = await findPersonById(db, personId);
    if (!person?.totpEnabledAt || !person.totpSecret) return null;
    if ('code' in input) {
      const secret = secretBox.open(person.totpSecret);
      const step = secret === null ? null : acceptedStep(secret, input.code, clock.now());
      if (step === null || !(await acceptStep(db, person.id, step))) return null;
      return { method: 'totp' };
    }
    const code = parseRecoveryCode(input.recoveryCode);
    if (!code || !(await useRecoveryCode(db, person.id, sha256(code), clock.now()))) return null;
    return { method: 'recovery_code', remaining: await countUnusedRecoveryCodes(db, person.id) };
  }

  async function isEnabled(personId: string): Promise<boolean> {
    return Boolean((await findPersonById(db, personId))?.totpEnabledAt);
  }

  async function status(principal: AdminPrincipal): Promise<TMfaStatus> {
    const person = await personOf(principal);
    const enabled = Boolean(person.totpEnabledAt);
    return { enabled, recoveryCodesLeft: enabled ? await countUnusedRecoveryCodes(db, person.id) : 0 };
  }

  return { isEnabled, status, startEnrollment, confirmEnrollment, disable, renewRecoveryCodes, verifySecondStep };
}

export type MfaService = ReturnType<typeof createMfaService>;
