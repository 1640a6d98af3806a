import { ZAuditEventsCsvQuery } from '@reg/contracts/audit-api';
import { ZRegistrationsCsvQuery } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { everyPage, sendCsv } from '../../lib/csv.ts';
import { principalOf } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RegistrationService } from '../registrations/registrations.service.ts';
import { AUDIT_EVENT_COLUMNS, REGISTRATION_COLUMNS } from './export-columns.ts';

interface Options {
  registrations: RegistrationService;
  audit: AuditService;
  clock: Clock;
}

/** Rows per database read while exporting: enough to keep round trips few, small enough to stay flat in memory. */
const PAGE_ROWS = 500;

/**
 * CSV downloads of what the JSON reads list (docs/protocol.md, "Exports (CSV)"): the same
 * services with the same filters and customer scoping, paged through to the last row. Usage
 * exports live with usage (usage.routes.ts).
 */
export const exportRoutes: FastifyPluginAsyncZod<Options> = async (app, { registrations, audit, clock }) => {
  app.addHook('preValidation', app.requireAdmin);
  const csvSchema = { tags: ['console'], produces: ['text/csv'] };

  app.get(
    '/registrations.csv',
    {
      config: { allowApiClients: true },
      schema: {
        ...csvSchema,
        summary: 'Every matching active registration, as CSV',
        querystring: ZRegistrationsCsvQuery,
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const rows = everyPage((cursor) => registrations.list(principal, { ...request.query, cursor, limit: PAGE_ROWS }));
      return sendCsv(reply, { what: 'registrations', now: clock.now(), columns: REGISTRATION_COLUMNS, rows });
    },
  );

  app.get(
    '/audit-events.csv',
    {
      schema: {
        ...csvSchema,
        summary: 'Every matching audit event, newest first, as CSV',
        querystring: ZAuditEventsCsvQuery,
      },
    },
    async (request, reply) => {
      const { customerId } = principalOf(request);
      const rows = everyPage((cursor) => audit.list(customerId, { ...request.query, cursor, limit: PAGE_ROWS }));
      return sendCsv(reply, { what: 'audit-events', now: clock.now(), columns: AUDIT_EVENT_COLUMNS, rows });
    },
  );
};
