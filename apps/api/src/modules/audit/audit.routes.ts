import { ZAuditEventList, ZListAuditEventsQuery } from '@reg/contracts/audit-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { AuditService } from './audit.service.ts';

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    '/audit-events',
    consoleRoute(
      { summary: 'Audit events, newest first', querystring: ZListAuditEventsQuery, response: { 200: ZAuditEventList } },
      { preValidation: app.requireAdmin },
    ),
    async (request) => audit.list(principalOf(request).customerId, request.query),
  );
};
