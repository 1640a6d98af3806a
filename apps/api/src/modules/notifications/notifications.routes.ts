import { LIMITS, ZErrorBody, ZNoContent } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
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
import { notFound } from '../../lib/errors.ts';
import { principalOf } from '../../lib/principal.ts';
import { isUuid } from '../../lib/uuid.ts';
import type { NotificationService } from './notifications.service.ts';

/** Notification channels of the customer (docs/notifications.md). */
export const notificationRoutes: FastifyPluginAsyncZod<{ notifications: NotificationService }> = async (
  app,
  { notifications },
) => {
  const ownId = (id: string) => {
    if (!isUuid(id)) throw notFound();
    return id;
  };

  app.get(
    '/notification-channels',
    {
      preValidation: app.requireAdmin,
      schema: { summary: 'Notification channels', tags: ['console'], response: { 200: ZNotificationChannelList } },
    },
    async (request) => ({ items: await notifications.list(principalOf(request)) }),
  );

  app.post(
    '/notification-channels',
    {
      preValidation: app.requireAdmin,
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: "Add a webhook or email channel; a webhook's signing secret is in this answer only",
        tags: ['console'],
        body: ZCreateNotificationChannelRequest,
        response: { 201: ZCreatedNotificationChannel, 400: ZErrorBody, 422: ZErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await notifications.create(principalOf(request), request.body)),
  );

  app.delete(
    '/notification-channels/:id',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Delete a channel; its pending deliveries are dropped',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      await notifications.remove(principalOf(request), ownId(request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/notification-channels/:id/test',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Send a test event to this channel',
        tags: ['console'],
        params: ZIdParams,
        response: { 202: ZTestAccepted, 404: ZErrorBody, 409: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) =>
      reply.status(202).send(await notifications.sendTest(principalOf(request), ownId(request.params.id))),
  );

  app.post(
    '/notification-channels/:id/confirm',
    {
      preValidation: app.requireAdmin,
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: "Confirm an email channel with its confirmation link's token; it gets events from then on",
        tags: ['console'],
        params: ZIdParams,
        body: ZConfirmNotificationChannelRequest,
        response: { 204: ZNoContent, 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request, reply) => {
      await notifications.confirm(principalOf(request), ownId(request.params.id), request.body.token);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/notification-channels/:id/resend-confirmation',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Send an unconfirmed email channel a new confirmation link (the previous one stops working)',
        tags: ['console'],
        params: ZIdParams,
        response: { 204: ZNoContent, 404: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => {
      await notifications.resendConfirmation(principalOf(request), ownId(request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/notification-channels/:id/deliveries',
    {
      preValidation: app.requireAdmin,
      schema: {
        summary: 'Delivery attempts to this channel, newest first',
        tags: ['console'],
        params: ZIdParams,
        querystring: ZListDeliveriesQuery,
        response: { 200: ZNotificationDeliveryList, 400: ZErrorBody, 404: ZErrorBody },
      },
    },
    async (request) => notifications.deliveries(principalOf(request), ownId(request.params.id), request.query),
  );
};
