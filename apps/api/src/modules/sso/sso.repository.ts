import type { Tx } from '../../lib/tx.ts';

export interface SsoSettingsRow {
  customerId: string;
  issuer: string;
  clientId: string;
  clientSecretSealed: string;
  groupsClaim: string;
  fullAdminGroups: string[];
  readOnlyGroups: string[];
  justInTime: boolean;
  enforced: boolean;
  testedAt: Date | null;
}

const COLUMNS = {
  customerId: true,
  issuer: true,
  clientId: true,
  clientSecretSealed: true,
  groupsClaim: true,
  fullAdminGroups: true,
  readOnlyGroups: true,
  justInTime: true,
  enforced: true,
  testedAt: true,
} as const;

export async function findSsoSettings(db: Tx, customerId: string): Promise<SsoSettingsRow | null> {
  return db.ssoSettings.findUnique({ where: { customerId }, select: COLUMNS });
}

/** The settings with the customer's row locked, so two saves take turns (and `testedAt` is read fresh). */
export async function lockSsoSettings(tx: Tx, customerId: string): Promise<SsoSettingsRow | null> {
  await tx.$queryRaw`SELECT id FROM customers WHERE id = ${customerId}::uuid FOR UPDATE`;
  return findSsoSettings(tx, customerId);
}

export async function findEmailDomains(db: Tx, customerId: string): Promise<string[]> {
  const rows = await db.ssoEmailDomain.findMany({ where: { customerId }, orderBy: { domain: 'asc' } });
  return rows.map((row) => row.domain);
}

/** Whether another customer has any of these domains. */
export async function domainsTakenByOthers(tx: Tx, customerId: string, domains: string[]): Promise<boolean> {
  return (await tx.ssoEmailDomain.count({ where: { domain: { in: domains }, customerId: { not: customerId } } })) > 0;
}

/** The customer's domains become exactly these (a race with another customer meets the primary key). */
export async function replaceEmailDomains(tx: Tx, customerId: string, domains: string[]): Promise<void> {
  await tx.ssoEmailDomain.deleteMany({ where: { customerId } });
  await tx.ssoEmailDomain.createMany({ data: domains.map((domain) => ({ domain, customerId })) });
}

export async function upsertSsoSettings(tx: Tx, row: SsoSettingsRow, now: Date): Promise<void> {
  const { customerId, ...data } = row;
  await tx.ssoSettings.upsert({
    where: { customerId },
    create: { ...row, updatedAt: now },
    update: { ...data, updatedAt: now },
  });
}

export async function deleteSsoSettings(tx: Tx, customerId: string): Promise<void> {
  await tx.ssoEmailDomain.deleteMany({ where: { customerId } });
  await tx.ssoSettings.deleteMany({ where: { customerId } });
}

/** The customer single sign-on serves for an email domain, with its settings. */
export async function findSsoSettingsByDomain(db: Tx, domain: string): Promise<SsoSettingsRow | null> {
  const row = await db.ssoEmailDomain.findUnique({ where: { domain }, select: { customerId: true } });
  return row ? findSsoSettings(db, row.customerId) : null;
}

/** Recorded after a successful sign-in, unless the issuer or client changed in the meantime. */
export async function markTested(tx: Tx, customerId: string, issuer: string, clientId: string, at: Date) {
  await tx.ssoSettings.updateMany({ where: { customerId, issuer, clientId }, data: { testedAt: at } });
}

export async function findLinkedAdminId(
  db: Tx,
  link: { customerId: string; issuer: string; subject: string },
): Promise<string | null> {
  const row = await db.ssoLink.findUnique({
    where: { customerId_issuer_subject: link },
    select: { adminId: true },
  });
  return row?.adminId ?? null;
}

/** Links an identity to an admin; a link made meanwhile by a sign-in racing this one is kept. */
export async function insertLink(
  tx: Tx,
  link: { customerId: string; issuer: string; subject: string; adminId: string },
  now: Date,
): Promise<void> {
  await tx.ssoLink.createMany({ data: [{ ...link, createdAt: now }], skipDuplicates: true });
}
