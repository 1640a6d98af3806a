import { ZErrorBody } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import { ZLicenseServer, ZLicenseServerList, ZListLicenseServersQuery } from '@reg/contracts/usage-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import { principalOf } from '../../lib/principal.ts';
import type { LicenseServerService } from './license-servers.service.ts';

export const licenseServerRoutes: FastifyPluginAsyncZod<{ licenseServers: LicenseServerService }> = async (
  app,
  { licenseServers },
) => {
  // Before validation: without a session the answer is 401 (or 403 for CSRF), whatever the body.
  app.addHook('preValidation', app.requireAdmin);
  const ownId = (id: string) => {
    if (!isUuid(id)) throw notFound();
    return id;
  };

  app.get(
    '/license-servers',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'License servers with usage data or an active registration',
        tags: ['console'],
        querystring: ZListLicenseServersQuery,
        response: { 200: ZLicenseServerList },
      },
    },
    async (request) => licenseServers.list(principalOf(request), request.query),
  );

  app.get(
    '/license-servers/:id',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'One license server, as in the list',
        tags: ['console'],
        params: ZIdParams,
        response: { 200: ZLicenseServer, 404: ZErrorBody },
      },
    },
    async (request) => licenseServers.get(principalOf(request), ownId(request.params.id)),
  );
};
