import type { TAuditEvent } from '@reg/contracts/audit-api';
import { ZAuditEventsCsvQuery } from '@reg/contracts/audit-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { everyPage, sendCsv, type CsvColumn } from '../../lib/csv.ts';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
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
    consoleRoute(
      { summary: 'Every matching audit event, newest first, as CSV', csv: true, querystring: ZAuditEventsCsvQuery },
      { preValidation: app.requireAdmin },
    ),
    async (request, reply) => {
      const { customerId } = principalOf(request);
      const rows = everyPage((cursor, limit) => audit.list(customerId, { ...request.query, cursor, limit }));
      return sendCsv(reply, { what: 'audit-events', now: clock.now(), columns: AUDIT_EVENT_COLUMNS, rows });
    },
  );
};
