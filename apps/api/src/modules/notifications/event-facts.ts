import { AUDIT_ACTION_LABELS, AUDIT_ACTIONS, type TAuditAction, type TAuditEvent } from '@reg/contracts/audit-api';

/**
 * Facts as people read them: a mail line `productCode: XDT` told a reader our field names,
 * not what they were looking at. Each known fact key gets words, and the three parts of a
 * product key become one "Product" line named as the summaries name it
 * (`productCode edition (licenseModel)`). A key without words is shown as it is.
 */
const FACT_LABELS: Record<string, string> = {
  lastContactAt: 'Last contact',
  reason: 'Reason',
  installed: 'Installed',
  inUse: 'In use',
  peakInUse: 'Peak in use',
  day: 'Day',
  periodStart: 'Period start',
  deletedRecords: 'Deleted records',
  removalAt: 'Removal at',
  staleRemovalDays: 'Removal after days without a report',
  field: 'Date of',
  date: 'Date',
  daysLeft: 'Days left',
  threshold: 'Warning threshold (days)',
  action: 'Action',
  actor: 'By',
  target: 'Target',
};

/** Values of `field` in words. */
const FIELD_WORDS: Record<string, string> = {
  expiresAt: 'license expiry',
  maintenanceEndsAt: 'end of Customer Success Services',
};

export type Fact = [string, string | number | null];

/** `XDT PLT (concurrent)`: a product key as summaries, mails and chat messages name it. */
const productKeyLabel = (key: { productCode: string; edition: string; licenseModel: string }) =>
  `${key.productCode} ${key.edition} (${key.licenseModel})`;

/** Raw facts (field name, value) to labelled ones, the product key as one "Product" fact. */
export function labelledFacts(facts: Fact[]): Fact[] {
  const byKey = new Map(facts);
  const keyParts = ['productCode', 'edition', 'licenseModel'];
  const hasKey = keyParts.every((k) => typeof byKey.get(k) === 'string');
  const out: Fact[] = [];
  for (const [key, value] of facts) {
    if (hasKey && keyParts.includes(key)) {
      if (key === 'productCode')
        out.push([
          'Product',
          productKeyLabel({
            productCode: String(byKey.get('productCode')),
            edition: String(byKey.get('edition')),
            licenseModel: String(byKey.get('licenseModel')),
          }),
        ]);
      continue;
    }
    const words = key === 'field' && typeof value === 'string' ? (FIELD_WORDS[value] ?? value) : value;
    out.push([FACT_LABELS[key] ?? key, words]);
  }
  return out;
}

const isAuditAction = (action: string): action is TAuditAction => (AUDIT_ACTIONS as readonly string[]).includes(action);

/** An audit action in words (the audit log's own), or as it is when this version does not know it. */
export const auditActionLabel = (action: string) => (isAuditAction(action) ? AUDIT_ACTION_LABELS[action] : action);

/** `<action> by <actor label>: <target label>`. */
export const auditSummary = (audit: TAuditEvent) =>
  `${auditActionLabel(audit.action)} by ${audit.actor.label}: ${audit.target.label}`;
