import { ZLicenseServer, ZLicenseServerList, ZListLicenseServersQuery } from '@reg/contracts/usage-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { LicenseServerService } from './license-servers.service.ts';

export const licenseServerRoutes: FastifyPluginAsyncZod<{ licenseServers: LicenseServerService }> = async (
  app,
  { licenseServers },
) => {
  // Before validation: without a session the answer is 401 (or 403 for CSRF), whatever the body.
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/license-servers',
    consoleRoute(
      {
        summary: 'License servers with usage data or an active registration',
        querystring: ZListLicenseServersQuery,
        response: { 200: ZLicenseServerList },
      },
      { config: { allowApiClients: true } },
    ),
    async (request) => licenseServers.list(principalOf(request), request.query),
  );

  app.get(
    '/license-servers/:id',
    consoleRoute(
      { summary: 'One license server, as in the list', id: true, response: { 200: ZLicenseServer }, errors: [404] },
      { config: { allowApiClients: true } },
    ),
    async (request) => licenseServers.get(principalOf(request), request.params.id),
  );
};
