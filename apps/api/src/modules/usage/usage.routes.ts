import {
  ZDeleteUsageRequest,
  ZDeleteUsageResponse,
  ZUsageOverview,
  ZUsageOverviewQuery,
  ZUsageQuery,
  ZUsageSeries,
} from '@reg/contracts/usage-api';
import { serializerCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { sendCsv } from '../../lib/csv.ts';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import { USAGE_COLUMNS, usagePointRows } from './usage-columns.ts';
import { DELETE_DATA_TIMEOUT_MS } from './usage-delete.service.ts';
import type { UsageService } from './usage.service.ts';

/**
 * The 200 bodies (a year of a server is thousands of points) are built by the service from explicit
 * fields to their type: written as JSON without validating every point through zod again. The
 * schemas stay for the OpenAPI description; other statuses go through the usual serializer.
 */
type SerializerRoute = Parameters<typeof serializerCompiler>[0];
const plainJsonFor200 = (route: Omit<SerializerRoute, 'schema'> & { schema: unknown }) =>
  route.httpStatus === '200' ? (data: unknown) => JSON.stringify(data) : serializerCompiler(route as SerializerRoute);

/** The console's usage routes: a server's usage and the overview (JSON and CSV), and Delete data. */
export const usageRoutes: FastifyPluginAsyncZod<{ usage: UsageService; clock: Clock }> = async (
  app,
  { usage, clock },
) => {
  // Before validation: without a session the answer is 401 (or 403 for CSRF), whatever the body.
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/license-servers/:id/usage',
    consoleRoute(
      {
        summary: 'Usage per product key, a point per day or month (default: the last 30 days), with a summary',
        id: true,
        querystring: ZUsageQuery,
        response: { 200: ZUsageSeries },
        errors: [400, 404],
      },
      { config: { allowApiClients: true }, serializerCompiler: plainJsonFor200 },
    ),
    async (request) => usage.serverUsage(principalOf(request), request.params.id, request.query),
  );

  app.get(
    '/usage/overview',
    consoleRoute(
      {
        summary:
          'Usage summed over every license server of the customer (or those tagged `tag`), with the servers by state',
        querystring: ZUsageOverviewQuery,
        response: { 200: ZUsageOverview },
        errors: [400],
      },
      { config: { allowApiClients: true }, serializerCompiler: plainJsonFor200 },
    ),
    async (request) => usage.overview(principalOf(request), request.query),
  );

  app.delete(
    '/license-servers/:id/usage',
    consoleRoute(
      {
        summary: 'Delete all usage records of a server, permanently',
        id: true,
        body: ZDeleteUsageRequest.nullish(),
        response: { 200: ZDeleteUsageResponse },
        errors: [400, 404],
      },
      // Its transaction may run a minute (paced deletes): the request waits for it to commit.
      { config: { allowApiClients: true, requestTimeoutMs: DELETE_DATA_TIMEOUT_MS + 5_000 } },
    ),
    async (request) => usage.deleteData(principalOf(request), request.params.id, request.body ?? {}),
  );

  app.get(
    '/license-servers/:id/usage.csv',
    consoleRoute(
      {
        summary: "A server's usage, a row per point, as CSV",
        csv: true,
        id: true,
        querystring: ZUsageQuery,
        errors: [400, 404],
      },
      { config: { allowApiClients: true } },
    ),
    async (request, reply) => {
      // Read (and scoped, 404 for another customer's server) before the first byte goes out.
      const read = await usage.serverUsage(principalOf(request), request.params.id, request.query);
      return sendCsv(reply, { what: 'usage', now: clock.now(), columns: USAGE_COLUMNS, rows: usagePointRows(read) });
    },
  );

  app.get(
    '/usage/overview.csv',
    consoleRoute(
      {
        summary:
          "The customer's usage summed over every license server (or those tagged `tag`), a row per point, as CSV",
        csv: true,
        querystring: ZUsageOverviewQuery,
        errors: [400],
      },
      { config: { allowApiClients: true } },
    ),
    async (request, reply) => {
      // Read (and the range checked) before the first byte goes out.
      const overview = await usage.overview(principalOf(request), request.query);
      const now = clock.now();
      return sendCsv(reply, { what: 'usage-overview', now, columns: USAGE_COLUMNS, rows: usagePointRows(overview) });
    },
  );
};
