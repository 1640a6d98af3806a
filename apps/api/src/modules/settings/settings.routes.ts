import { LIMITS, ZErrorBody } from '@reg/contracts/common';
import { ZCustomerSettings, ZCustomerSettingsUpdate } from '@reg/contracts/settings-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import type { SettingsService } from './settings.service.ts';

/** The customer's settings, for signed-in admins; changing them is for full admins. */
export const settingsRoutes: FastifyPluginAsyncZod<{ settings: SettingsService }> = async (app, { settings }) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/settings',
    {
      schema: { summary: "The customer's settings", tags: ['console'], response: { 200: ZCustomerSettings } },
    },
    async (request) => settings.get(adminPrincipalOf(request)),
  );

  app.put(
    '/settings',
    {
      bodyLimit: LIMITS.consoleBodyBytes,
      schema: {
        summary: "Change the customer's settings (full admins): either or both",
        tags: ['console'],
        body: ZCustomerSettingsUpdate,
        response: { 200: ZCustomerSettings, 400: ZErrorBody, 403: ZErrorBody, 409: ZErrorBody },
      },
    },
    async (request) => settings.update(adminPrincipalOf(request), request.body),
  );
};
