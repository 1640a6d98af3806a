import { ZErrorBody } from '@reg/contracts/common';
import { ZEntitlements, ZEntitlementsQuery } from '@reg/contracts/entitlements-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { sendCsv } from '../../lib/csv.ts';
import { principalOf } from '../../lib/principal.ts';
import { ENTITLEMENT_COLUMNS, type EntitlementService } from './entitlements.service.ts';

/** Licensing > Entitlements (docs/protocol.md): read-only, for every admin and API clients. */
export const entitlementRoutes: FastifyPluginAsyncZod<{ entitlements: EntitlementService; clock: Clock }> = async (
  app,
  { entitlements, clock },
) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/entitlements',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'One row per product key held by the customer’s license servers, most urgent first',
        tags: ['console'],
        querystring: ZEntitlementsQuery,
        response: { 200: ZEntitlements, 400: ZErrorBody },
      },
    },
    async (request) => entitlements.list(principalOf(request)),
  );

  app.get(
    '/entitlements.csv',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'The entitlements as CSV, a row per product key in the same order',
        tags: ['console'],
        produces: ['text/csv'],
        querystring: ZEntitlementsQuery,
        response: { 400: ZErrorBody },
      },
    },
    async (request, reply) => {
      const { items } = await entitlements.list(principalOf(request));
      return sendCsv(reply, { what: 'entitlements', now: clock.now(), columns: ENTITLEMENT_COLUMNS, rows: items });
    },
  );
};
