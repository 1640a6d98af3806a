import { ZNoContent } from '@reg/contracts/common';
import {
  ZConfirmNotificationChannelRequest,
  ZCreateNotificationChannelRequest,
  ZCreatedNotificationChannel,
  ZListDeliveriesQuery,
  ZNotificationChannelList,
  ZNotificationDeliveryList,
  ZTestAccepted,
} from '@reg/contracts/notifications-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { NotificationService } from './notifications.service.ts';

/** Notification channels of the customer (docs/notifications.md). */
export const notificationRoutes: FastifyPluginAsyncZod<{ notifications: NotificationService }> = async (
  app,
  { notifications },
) => {
  const admins = { preValidation: app.requireAdmin };

  app.get(
    '/notification-channels',
    consoleRoute({ summary: 'Notification channels', response: { 200: ZNotificationChannelList } }, admins),
    async (request) => ({ items: await notifications.list(principalOf(request)) }),
  );

  app.post(
    '/notification-channels',
    consoleRoute(
      {
        summary: "Add a webhook or email channel; a webhook's signing secret is in this answer only",
        body: ZCreateNotificationChannelRequest,
        response: { 201: ZCreatedNotificationChannel },
        errors: [400, 422],
      },
      admins,
    ),
    async (request, reply) => reply.status(201).send(await notifications.create(principalOf(request), request.body)),
  );

  app.delete(
    '/notification-channels/:id',
    consoleRoute(
      {
        summary: 'Delete a channel; its pending deliveries are dropped',
        id: true,
        response: { 204: ZNoContent },
        errors: [404],
      },
      admins,
    ),
    async (request, reply) => {
      await notifications.remove(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/notification-channels/:id/test',
    consoleRoute(
      {
        summary: 'Send a test event to this channel',
        id: true,
        response: { 202: ZTestAccepted },
        errors: [404, 409, 429],
      },
      admins,
    ),
    async (request, reply) =>
      reply.status(202).send(await notifications.sendTest(principalOf(request), request.params.id)),
  );

  app.post(
    '/notification-channels/:id/confirm',
    consoleRoute(
      {
        summary: "Confirm an email channel with its confirmation link's token; it gets events from then on",
        id: true,
        body: ZConfirmNotificationChannelRequest,
        response: { 204: ZNoContent },
        errors: [400, 404],
      },
      admins,
    ),
    async (request, reply) => {
      await notifications.confirm(principalOf(request), request.params.id, request.body.token);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/notification-channels/:id/resend-confirmation',
    consoleRoute(
      {
        summary: 'Send an unconfirmed email channel a new confirmation link (the previous one stops working)',
        id: true,
        response: { 204: ZNoContent },
        errors: [404, 429],
      },
      admins,
    ),
    async (request, reply) => {
      await notifications.resendConfirmation(principalOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/notification-channels/:id/deliveries',
    consoleRoute(
      {
        summary: 'Delivery attempts to this channel, newest first',
        id: true,
        querystring: ZListDeliveriesQuery,
        response: { 200: ZNotificationDeliveryList },
        errors: [400, 404],
      },
      admins,
    ),
    async (request) => notifications.deliveries(principalOf(request), request.params.id, request.query),
  );
};
