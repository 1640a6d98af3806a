import type { TAuditEvent } from '@reg/contracts/audit-api';
import type { TRegistration } from '@reg/contracts/console-api';
import type { CsvColumn } from '../../lib/csv.ts';

/** The columns of each export (docs/protocol.md, "Exports (CSV)"); names as in the JSON reads. */
export const REGISTRATION_COLUMNS: CsvColumn<TRegistration>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'serverName', value: (r) => r.serverName },
  { header: 'hostname', value: (r) => r.hostname },
  { header: 'status', value: (r) => r.status },
  { header: 'product', value: (r) => r.product },
  { header: 'productVersion', value: (r) => r.productVersion },
  { header: 'os', value: (r) => r.os },
  { header: 'instanceId', value: (r) => r.instanceId },
  { header: 'registeredAt', value: (r) => r.registeredAt },
  { header: 'registeredBy', value: (r) => r.registeredBy.email },
  { header: 'lastContactAt', value: (r) => r.lastContactAt },
  { header: 'tags', value: (r) => r.tags.join(' ') },
];

export const AUDIT_EVENT_COLUMNS: CsvColumn<TAuditEvent>[] = [
  { header: 'at', value: (e) => e.at },
  { header: 'action', value: (e) => e.action },
  { header: 'actorType', value: (e) => e.actor.type },
  { header: 'actorId', value: (e) => e.actor.id },
  { header: 'actorLabel', value: (e) => e.actor.label },
  { header: 'targetType', value: (e) => e.target.type },
  { header: 'targetId', value: (e) => e.target.id },
  { header: 'targetLabel', value: (e) => e.target.label },
  { header: 'details', value: (e) => JSON.stringify(e.details) },
];
