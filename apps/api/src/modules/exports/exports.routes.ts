import { ZAuditEventsCsvQuery } from '@reg/contracts/audit-api';
import { ZErrorBody } from '@reg/contracts/common';
import { ZIdParams, ZRegistrationsCsvQuery } from '@reg/contracts/console-api';
import { ZUsageCsvQuery } from '@reg/contracts/usage-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { everyPage, sendCsv } from '../../lib/csv.ts';
import { notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import { principalOf } from '../../lib/principal.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { LicenseServerService } from '../license-servers/license-servers.service.ts';
import type { RegistrationService } from '../registrations/registrations.service.ts';
import { AUDIT_EVENT_COLUMNS, REGISTRATION_COLUMNS, USAGE_COLUMNS, usagePointRows } from './export-columns.ts';

interface Options {
  registrations: RegistrationService;
  audit: AuditService;
  licenseServers: LicenseServerService;
  clock: Clock;
}

/** Rows per database read while exporting: enough to keep round trips few, small enough to stay flat in memory. */
const PAGE_ROWS = 500;

/**
 * CSV downloads of what the JSON reads list (docs/protocol.md, "Exports (CSV)"): the same
 * services with the same filters and customer scoping, paged through to the last row.
 */
export const exportRoutes: FastifyPluginAsyncZod<Options> = async (
  app,
  { registrations, audit, licenseServers, clock },
) => {
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
    '/license-servers/:id/usage.csv',
    {
      config: { allowApiClients: true },
      schema: {
        ...csvSchema,
        summary: "A server's usage, a row per point, as CSV",
        params: ZIdParams,
        querystring: ZUsageCsvQuery,
        response: { 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
      // Read (and scoped, 404 for another customer's server) before the first byte goes out.
      const usage = await licenseServers.usage(principalOf(request), request.params.id, request.query);
      return sendCsv(reply, { what: 'usage', now: clock.now(), columns: USAGE_COLUMNS, rows: usagePointRows(usage) });
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
