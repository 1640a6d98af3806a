import { ZEntitlements, ZEntitlementsQuery } from '@reg/contracts/entitlements-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { sendCsv } from '../../lib/csv.ts';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import { ENTITLEMENT_COLUMNS, type EntitlementService } from './entitlements.service.ts';

/** Licensing > Entitlements (docs/protocol.md): read-only, for every admin and API clients. */
export const entitlementRoutes: FastifyPluginAsyncZod<{ entitlements: EntitlementService; clock: Clock }> = async (
  app,
  { entitlements, clock },
) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/entitlements',
    consoleRoute(
      {
        summary: 'One row per product key held by the customer’s license servers, most urgent first',
        querystring: ZEntitlementsQuery,
        response: { 200: ZEntitlements },
        errors: [400],
      },
      { config: { allowApiClients: true } },
    ),
    async (request) => entitlements.list(principalOf(request)),
  );

  app.get(
    '/entitlements.csv',
    consoleRoute(
      {
        summary: 'The entitlements as CSV, a row per product key in the same order',
        csv: true,
        querystring: ZEntitlementsQuery,
        errors: [400],
      },
      { config: { allowApiClients: true } },
    ),
    async (request, reply) => {
      const { items } = await entitlements.list(principalOf(request));
      return sendCsv(reply, { what: 'entitlements', now: clock.now(), columns: ENTITLEMENT_COLUMNS, rows: items });
    },
  );
};
