import type { TAuditAction, TAuditDetails } from './audit-api.ts';

/**
 * The audit details in words an admin reads, beside the action names (AUDIT_ACTION_LABELS).
 * Only the console's log uses them: the CSV export and the API keep the raw fields, as
 * machines read those.
 */

/** Every key of one action's details; none for an action without details. */
type KeysOf<T> = T extends unknown ? (string extends keyof T ? never : Extract<keyof T, string>) : never;
/** Every detail key any action carries: a key added to TAuditDetails without words does not compile. */
export type TAuditDetailKey = { [A in TAuditAction]: KeysOf<TAuditDetails[A]> }[TAuditAction];

export type TDetailWords = {
  /** Put before the value: "host ls-01". */
  label: string;
  /** A true or false in words, replacing label and value: "invitation email sent". */
  yes?: string;
  no?: string;
  /** Fixed values (enums) in words; any other value is shown as it is. */
  values?: Readonly<Record<string, string>>;
};

const ROLE_WORDS = { full: 'full access', 'read-only': 'read-only' };
const APPROVAL_WORDS = { automatic: 'automatic', manual: 'by an admin' };

export const AUDIT_DETAIL_WORDS: Record<TAuditDetailKey, TDetailWords> = {
  codeRequestedAt: { label: 'requested at' },
  codeRequestedFrom: { label: 'requested from' },
  hostname: { label: 'host' },
  instanceId: { label: 'instance' },
  via: { label: 'by', values: { 'offline-request': 'request file', 'registration-key': 'registration key' } },
  requestId: { label: 'request file' },
  requestCreatedAt: { label: 'request file made at' },
  keyId: { label: 'registration key' },
  requestedFrom: { label: 'requested from' },
  approval: { label: 'approval', values: APPROVAL_WORDS },
  reason: {
    label: 'reason',
    values: {
      admin: 'by an admin',
      product: 'by the product itself',
      replaced: 'replaced by a new registration',
      stale: 'not reporting',
      password: 'wrong password',
      mfa_code: 'wrong two-step verification code',
      sso_required: 'single sign-on required',
      creator_removed: 'its creator was removed',
    },
  },
  deletedRecords: { label: 'deleted records' },
  sourceAddress: { label: 'from' },
  method: { label: 'with', values: { password: 'password', sso: 'single sign-on' } },
  mfa: { label: 'second step', values: { totp: 'authenticator code', recovery_code: 'recovery code' } },
  breakGlass: { label: 'break-glass', yes: 'break-glass', no: 'not break-glass' },
  issuer: { label: 'identity provider' },
  files: { label: 'files' },
  accepted: { label: 'accepted' },
  duplicate: { label: 'duplicates' },
  refused: { label: 'refused' },
  records: { label: 'records' },
  type: { label: 'type', values: { webhook: 'webhook', email: 'email', slack: 'Slack', teams: 'Microsoft Teams' } },
  events: { label: 'events' },
  eventId: { label: 'event' },
  email: { label: 'email' },
  address: { label: 'from' },
  role: { label: 'role', values: ROLE_WORDS },
  from: { label: 'was', yes: 'was on', no: 'was off', values: ROLE_WORDS },
  to: { label: 'now', yes: 'now on', no: 'now off', values: ROLE_WORDS },
  source: { label: 'by', values: { sso: 'single sign-on' } },
  deletedApiClients: { label: 'API clients deleted' },
  old: { label: 'was' },
  new: { label: 'now' },
  scope: { label: 'for' },
  sessionIds: { label: 'sessions' },
  emailSent: { label: 'email sent', yes: 'invitation email sent', no: 'invitation email not sent' },
  remaining: { label: 'codes left' },
  clientSecretChanged: { label: 'client secret', yes: 'client secret changed', no: 'client secret unchanged' },
  error: { label: 'error' },
  subject: { label: 'subject' },
  description: { label: 'description' },
  maxUses: { label: 'uses allowed' },
  expiresAt: { label: 'expires' },
  tags: { label: 'tags' },
  uses: { label: 'used' },
};

/** Where one action's key means something else than elsewhere: a maintenance window's times. */
export const AUDIT_DETAIL_WORDS_BY_ACTION: {
  [A in TAuditAction]?: Partial<Record<KeysOf<TAuditDetails[A]>, TDetailWords>>;
} = {
  'mute.created': { from: { label: 'from' }, to: { label: 'until' }, reason: { label: 'reason' } },
  'mute.deleted': { from: { label: 'from' }, to: { label: 'until' } },
  'sso.sign_in_failed': { reason: { label: 'reason' } },
  'admin.removed': { role: { label: 'had role', values: ROLE_WORDS } },
};

/** Keys inside a detail's value (a window's scope, single sign-on settings). */
const NESTED_WORDS: Readonly<Record<string, TDetailWords>> = {
  registrationId: { label: 'server' },
  all: { label: 'all servers', yes: 'all servers', no: 'not all servers' },
};

const wordsFor = (action: string, key: string): TDetailWords | undefined => {
  const byAction = (AUDIT_DETAIL_WORDS_BY_ACTION as Record<string, Record<string, TDetailWords> | undefined>)[action];
  if (byAction && Object.hasOwn(byAction, key)) return byAction[key];
  if (Object.hasOwn(AUDIT_DETAIL_WORDS, key)) return AUDIT_DETAIL_WORDS[key as TAuditDetailKey];
  return Object.hasOwn(NESTED_WORDS, key) ? NESTED_WORDS[key] : undefined;
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** How the caller writes a time: the console uses the reader's locale. */
export type TFormatTime = (iso: string) => string;

function valueInWords(
  action: string,
  value: unknown,
  words: TDetailWords | undefined,
  formatTime: TFormatTime,
): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') {
    if (words?.values && Object.hasOwn(words.values, value)) return words.values[value] as string;
    return ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? formatTime(value) : value;
  }
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    return value.length ? value.map((item) => valueInWords(action, item, undefined, formatTime)).join(', ') : 'none';
  }
  if (typeof value === 'object') {
    const parts = detailPhrases(action, value as Record<string, unknown>, formatTime);
    return parts.length ? parts.join(', ') : 'none';
  }
  return String(value);
}

/** One phrase per detail: "host ls-01", "invitation email sent". Ids stay as they are. */
export function detailPhrases(action: string, details: Record<string, unknown>, formatTime: TFormatTime): string[] {
  return Object.entries(details)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => {
      const words = wordsFor(action, key);
      if (typeof value === 'boolean' && words) {
        const phrase = value ? words.yes : words.no;
        if (phrase) return phrase;
      }
      return `${words?.label ?? key} ${valueInWords(action, value, words, formatTime)}`;
    });
}
