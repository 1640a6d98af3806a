import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import { ZCreateMuteRequest, ZMute, ZMuteList } from '@reg/contracts/mutes-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { notFound } from '../../lib/errors.ts';
import { principalOf } from '../../lib/principal.ts';
import { isUuid } from '../../lib/uuid.ts';
import type { MuteService } from './mutes.service.ts';

/** Maintenance windows (docs/notifications.md): signed-in admins, like notification channels. */
export const muteRoutes: FastifyPluginAsyncZod<{ mutes: MuteService }> = async (app, { mutes }) => {
  app.get(
    '/mutes',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Maintenance windows that have not ended, and those that ended within 30 days',
        tags: ['console'],
        response: { 200: ZMuteList },
      },
    },
    async (request) => ({ items: await mutes.list(principalOf(request)) }),
  );

  app.post(
    '/mutes',
    {
      preValidation: app.requireAdmin,
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: 'Add a maintenance window: events of one server, or of all, are kept but not sent',
        tags: ['console'],
        body: ZCreateMuteRequest,
        response: { 201: ZMute, 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await mutes.create(principalOf(request), request.body)),
  );

  app.delete(
    '/mutes/:id',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Delete a maintenance window (what it muted stays muted)',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      if (!isUuid(request.params.id)) throw notFound();
      await mutes.remove(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
