import { ZNoContent } from '@reg/contracts/common';
import { ZCreateMuteRequest, ZMute, ZMuteList } from '@reg/contracts/mutes-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { MuteService } from './mutes.service.ts';

/** Maintenance windows (docs/notifications.md): signed-in admins, like notification channels. */
export const muteRoutes: FastifyPluginAsyncZod<{ mutes: MuteService }> = async (app, { mutes }) => {
  const admins = { preValidation: app.requireAdmin };

  app.get(
    '/mutes',
    consoleRoute(
      {
        summary: 'Maintenance windows that have not ended, and those that ended within 30 days',
        response: { 200: ZMuteList },
      },
      admins,
    ),
    async (request) => ({ items: await mutes.list(principalOf(request)) }),
  );

  app.post(
    '/mutes',
    consoleRoute(
      {
        summary: 'Add a maintenance window: events of one server, or of all, are kept but not sent',
        body: ZCreateMuteRequest,
        response: { 201: ZMute },
        errors: [400, 404],
      },
      admins,
    ),
    async (request, reply) => reply.status(201).send(await mutes.create(principalOf(request), request.body)),
  );

  app.delete(
    '/mutes/:id',
    consoleRoute(
      {
        summary: 'Delete a maintenance window (what it muted stays muted)',
        id: true,
        response: { 204: ZNoContent },
        errors: [404],
      },
      admins,
    ),
    async (request, reply) => {
      await mutes.remove(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
