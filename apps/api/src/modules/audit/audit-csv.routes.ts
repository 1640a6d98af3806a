import type { TAuditEvent } from '@reg/contracts/audit-api';
import { ZAuditEventsCsvQuery } from '@reg/contracts/audit-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { CSV_ROUTE_SCHEMA, everyPage, sendCsv, type CsvColumn } from '../../lib/csv.ts';
import { principalOf } from '../../lib/principal.ts';
import type { AuditService } from './audit.service.ts';

/** The export's columns (docs/protocol.md, "Exports (CSV)"), named as in the JSON list. */
const AUDIT_EVENT_COLUMNS: CsvColumn<TAuditEvent>[] = [
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

/** The audit log as a CSV download: the same service, filters and scoping, paged to the last row. */
export const auditCsvRoutes: FastifyPluginAsyncZod<{ audit: AuditService; clock: Clock }> = async (
  app,
  { audit, clock },
) => {
  app.get(
    '/audit-events.csv',
    {
      preValidation: app.requireAdmin,
      schema: {
        ...CSV_ROUTE_SCHEMA,
        summary: 'Every matching audit event, newest first, as CSV',
        querystring: ZAuditEventsCsvQuery,
      },
    },
    async (request, reply) => {
      const { customerId } = principalOf(request);
      const rows = everyPage((cursor, limit) => audit.list(customerId, { ...request.query, cursor, limit }));
      return sendCsv(reply, { what: 'audit-events', now: clock.now(), columns: AUDIT_EVENT_COLUMNS, rows });
    },
  );
};
