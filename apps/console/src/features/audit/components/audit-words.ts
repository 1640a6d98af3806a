import {
  AUDIT_ACTIONS,
  AUDIT_ACTION_LABELS,
  type TAuditAction,
  type TAuditDetails,
  type TAuditEvent,
} from '@reg/contracts/audit-api';
import { detailPhrases } from '@reg/contracts/audit-words';
import { formatDateTime, plural } from '../../../lib/format.ts';

const REMOVAL_REASONS: Record<TAuditDetails['registration.removed']['reason'], string> = {
  admin: 'by an admin',
  product: 'by the product itself',
  replaced: 'replaced by a new registration of the same server',
  stale: 'not reporting for longer than the settings allow',
};

/** The stale-removal setting in words: "after 30 days", or "off". */
const staleRemovalWords = (settings: unknown) => {
  const days = (settings as { staleRemovalDays?: unknown } | null)?.staleRemovalDays;
  return typeof days === 'number' ? `after ${plural(days, 'day', 'days')}` : 'off';
};

const isAuditAction = (action: string): action is TAuditAction => (AUDIT_ACTIONS as readonly string[]).includes(action);

/**
 * The details as the contract types them for the action. The API sends them as a plain
 * record, so each field is still checked before use (an older event may lack one).
 */
const detailsOf = <A extends TAuditAction>(event: TAuditEvent, _action: A) =>
  event.details as Partial<Record<keyof TAuditDetails[A], unknown>>;

const ACTION_NAMES = AUDIT_ACTION_LABELS;

export const actionName = (action: TAuditAction) => ACTION_NAMES[action];

/** The action in words, with what matters most from its details. */
export function actionText(event: TAuditEvent): string {
  switch (event.action) {
    case 'registration.removed': {
      const { reason } = detailsOf(event, 'registration.removed');
      if (typeof reason !== 'string') return ACTION_NAMES['registration.removed'];
      // "admin" is the console's removal, which a script with an API client makes too.
      const words =
        reason === 'admin' && event.actor.type === 'api-client'
          ? 'by an API client'
          : Object.hasOwn(REMOVAL_REASONS, reason)
            ? REMOVAL_REASONS[reason as keyof typeof REMOVAL_REASONS]
            : reason;
      return `Removed registration (${words})`;
    }
    case 'usage.deleted': {
      const { deletedRecords } = detailsOf(event, 'usage.deleted');
      return typeof deletedRecords === 'number'
        ? `Deleted usage data (${plural(deletedRecords, 'record', 'records')})`
        : ACTION_NAMES['usage.deleted'];
    }
    case 'usage.files_uploaded': {
      const { files } = detailsOf(event, 'usage.files_uploaded');
      return typeof files === 'number'
        ? `Uploaded usage files (${plural(files, 'file', 'files')})`
        : ACTION_NAMES['usage.files_uploaded'];
    }
    case 'settings.changed': {
      const { old: before, new: after } = detailsOf(event, 'settings.changed');
      return `Changed settings (removal of stale registrations ${staleRemovalWords(after)}, was ${staleRemovalWords(before)})`;
    }
    case 'registration.tags_changed': {
      const { from, to } = detailsOf(event, 'registration.tags_changed');
      const words = (tags: unknown) => (Array.isArray(tags) && tags.length ? tags.join(' ') : 'none');
      return `Changed tags (${words(to)}, was ${words(from)})`;
    }
    default:
      // An action this console does not know (a newer server) shows as the API names it.
      return isAuditAction(event.action) ? ACTION_NAMES[event.action] : event.action;
  }
}

/** The details actionText already tells. */
const SHOWN_IN_ACTION: { [A in TAuditAction]?: readonly (keyof TAuditDetails[A])[] } = {
  'registration.removed': ['reason'],
  'usage.deleted': ['deletedRecords'],
  'usage.files_uploaded': ['files'],
  'settings.changed': ['old', 'new'],
  'registration.tags_changed': ['from', 'to'],
};

/** The other details in words (the contracts' detail words), compact: "requested from 10.0.0.1 · host ls-01". */
export function detailsText(event: TAuditEvent): string {
  const shown: readonly string[] = isAuditAction(event.action) ? (SHOWN_IN_ACTION[event.action] ?? []) : [];
  const rest = Object.fromEntries(Object.entries(event.details).filter(([key]) => !shown.includes(key)));
  return detailPhrases(event.action, rest, formatDateTime).join(' · ');
}

export { isAuditAction };
