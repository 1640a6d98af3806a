import { ZErrorBody } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import { ZUsageOverview, ZUsageQuery, ZUsageSeries } from '@reg/contracts/usage-api';
import { serializerCompiler, type FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import { principalOf } from '../../lib/principal.ts';
import type { UsageInsightsService } from './usage-insights.service.ts';

/**
 * The 200 bodies (a year of a server is thousands of points) are built by the service from explicit
 * fields to their type: written as JSON without validating every point through zod again. The
 * schemas stay for the OpenAPI description; other statuses go through the usual serializer.
 */
type SerializerRoute = Parameters<typeof serializerCompiler>[0];
const plainJsonFor200 = (route: Omit<SerializerRoute, 'schema'> & { schema: unknown }) =>
  route.httpStatus === '200' ? (data: unknown) => JSON.stringify(data) : serializerCompiler(route as SerializerRoute);

export const usageInsightsRoutes: FastifyPluginAsyncZod<{ insights: UsageInsightsService }> = async (
  app,
  { insights },
) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/license-servers/:id/usage',
    {
      config: { allowApiClients: true },
      serializerCompiler: plainJsonFor200,
      schema: {
        summary: 'Usage per product key, a point per day or month (default: the last 30 days), with a summary',
        tags: ['console'],
        params: ZIdParams,
        querystring: ZUsageQuery,
        response: { 200: ZUsageSeries, 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => {
      if (!isUuid(request.params.id)) throw notFound();
      return insights.serverUsage(principalOf(request), request.params.id, request.query);
    },
  );

  app.get(
    '/usage/overview',
    {
      config: { allowApiClients: true },
      serializerCompiler: plainJsonFor200,
      schema: {
        summary: 'Usage summed over every license server of the customer, with the servers by state',
        tags: ['console'],
        querystring: ZUsageQuery,
        response: { 200: ZUsageOverview, 400: ZErrorBody },
      },
    },
    async (request) => insights.overview(principalOf(request), request.query),
  );
};
