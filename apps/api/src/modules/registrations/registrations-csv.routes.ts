import type { TRegistration } from '@reg/contracts/console-api';
import { ZRegistrationsCsvQuery } from '@reg/contracts/console-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { everyPage, sendCsv, type CsvColumn } from '../../lib/csv.ts';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { RegistrationService } from './registrations.service.ts';

/** The export's columns (docs/protocol.md, "Exports (CSV)"), named as in the JSON list. */
const REGISTRATION_COLUMNS: CsvColumn<TRegistration>[] = [
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

/** The registrations list as a CSV download: the same service, filters and scoping, paged to the last row. */
export const registrationCsvRoutes: FastifyPluginAsyncZod<{
  registrations: RegistrationService;
  clock: Clock;
}> = async (app, { registrations, clock }) => {
  app.get(
    '/registrations.csv',
    consoleRoute(
      { summary: 'Every matching active registration, as CSV', csv: true, querystring: ZRegistrationsCsvQuery },
      { config: { allowApiClients: true }, preValidation: app.requireAdmin },
    ),
    async (request, reply) => {
      const principal = principalOf(request);
      const rows = everyPage((cursor, limit) => registrations.list(principal, { ...request.query, cursor, limit }));
      return sendCsv(reply, { what: 'registrations', now: clock.now(), columns: REGISTRATION_COLUMNS, rows });
    },
  );
};
