import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import {
  ZBulkRemoveRequest,
  ZBulkRemoveResult,
  ZCodePreview,
  ZCodeRequest,
  ZIdParams,
  ZListRegistrationsQuery,
  ZRegistration,
  ZRegistrationList,
} from '@reg/contracts/console-api';
import type { Db } from '@reg/db/client';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Clock } from '../../lib/clock.ts';
import { notFound } from '../../lib/errors.ts';
import { isUuid } from '../../lib/uuid.ts';
import { adminOf } from '../../plugins/console-auth.ts';
import { listActiveRegistrations } from './registrations.repository.ts';
import type { RegistrationService } from './registrations.service.ts';

interface Options {
  registrations: RegistrationService;
  db: Db;
  clock: Clock;
  notReportingAfterHours: number;
}

export const consoleRegistrationRoutes: FastifyPluginAsyncZod<Options> = async (app, options) => {
  const { registrations } = options;
  // Before validation: without a session the answer is 401 (or 403 for CSRF), whatever the body.
  app.addHook('preValidation', app.requireAdmin);
  const codeErrors = { 400: ZErrorBody, 404: ZErrorBody, 409: ZErrorBody, 410: ZErrorBody, 429: ZErrorBody };

  app.post(
    '/registrations/preview',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Look a code up without using it',
        tags: ['console'],
        body: ZCodeRequest,
        response: { 200: ZCodePreview, ...codeErrors },
      },
    },
    async (request) => registrations.preview(adminOf(request), request.body.code),
  );

  app.post(
    '/registrations',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Register the product that shows this code',
        tags: ['console'],
        body: ZCodeRequest,
        response: { 201: ZRegistration, ...codeErrors },
      },
    },
    async (request, reply) => reply.status(201).send(await registrations.register(adminOf(request), request.body.code)),
  );

  app.post(
    '/registrations/deny',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Refuse a code the admin does not recognise',
        tags: ['console'],
        body: ZCodeRequest,
        response: { 204: ZNoContent, ...codeErrors },
      },
    },
    async (request, reply) => {
      await registrations.deny(adminOf(request), request.body.code);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/registrations',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'Active registrations, keyset-paginated',
        tags: ['console'],
        querystring: ZListRegistrationsQuery,
        response: { 200: ZRegistrationList },
      },
    },
    async (request) => {
      const { rows, nextCursor } = await listActiveRegistrations(
        options.db,
        adminOf(request).customerId,
        request.query,
        options.clock.now(),
        options.notReportingAfterHours,
      );
      return { items: rows.map(registrations.toRegistration), nextCursor };
    },
  );

  app.post(
    '/registrations/bulk-remove',
    {
      config: { allowApiClients: true },
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Remove many registrations in one transaction',
        tags: ['console'],
        body: ZBulkRemoveRequest,
        response: { 200: ZBulkRemoveResult, 400: ZErrorBody },
      },
    },
    async (request) => registrations.removeManyByAdmin(adminOf(request), request.body.ids),
  );

  app.delete(
    '/registrations/:id',
    {
      config: { allowApiClients: true },
      schema: {
        summary: 'Remove a registration in any state',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
      await registrations.removeByAdmin(adminOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
