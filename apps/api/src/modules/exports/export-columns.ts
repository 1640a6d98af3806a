import type { TAuditEvent } from '@reg/contracts/audit-api';
import type { TRegistration } from '@reg/contracts/console-api';
import type { TUsageSeries } from '@reg/contracts/usage-api';
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

export interface UsagePointRow {
  day: string;
  productCode: string;
  edition: string;
  licenseModel: string;
  installed: number;
  inUse: number;
  peakInUse: number;
}

/** A server's usage and the customer overview alike: a row per point. */
export const USAGE_COLUMNS: CsvColumn<UsagePointRow>[] = (
  ['day', 'productCode', 'edition', 'licenseModel', 'installed', 'inUse', 'peakInUse'] as const
).map((key) => ({ header: key, value: (row) => row[key] }));

/** The points of a usage read, flattened to rows (a series is bounded: at most 400 points per key). */
export function* usagePointRows(usage: Pick<TUsageSeries, 'series'>): Generator<UsagePointRow> {
  for (const { points, ...key } of usage.series) for (const point of points) yield { ...key, ...point };
}
