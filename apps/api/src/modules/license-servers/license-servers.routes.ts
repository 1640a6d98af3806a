import { LIMITS, ZErrorBody } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import {
  ZDeleteUsageRequest,
  ZDeleteUsageResponse,
  ZLicenseServer,
  ZLicenseServerList,
  ZListLicenseServersQuery,
  ZUsageQuery,
  ZUsageSeries,
} from '@reg/contracts/usage-api';
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

  app.get(
    '/license-servers/:id/usage',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'Usage per product, edition and model, one point per day (default: the last 30 days)',
        tags: ['console'],
        params: ZIdParams,
        querystring: ZUsageQuery,
        response: { 200: ZUsageSeries, 404: ZErrorBody },
      },
    },
    async (request) => licenseServers.usage(principalOf(request), ownId(request.params.id), request.query),
  );

  app.delete(
    '/license-servers/:id/usage',
    {
      config: { allowApiClients: true },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Delete all usage records of a server, permanently',
        tags: ['console'],
        params: ZIdParams,
        body: ZDeleteUsageRequest.nullish(),
        response: { 200: ZDeleteUsageResponse, 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => licenseServers.deleteData(principalOf(request), ownId(request.params.id), request.body ?? {}),
  );
};
