import { ZCustomerSettings, ZCustomerSettingsUpdate } from '@reg/contracts/settings-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { adminPrincipalOf } from '../../lib/principal.ts';
import { consoleRoute } from '../../lib/route.ts';
import type { SettingsService } from './settings.service.ts';

/** The customer's settings, for signed-in admins; changing them is for full admins. */
export const settingsRoutes: FastifyPluginAsyncZod<{ settings: SettingsService }> = async (app, { settings }) => {
  app.addHook('preValidation', app.requireAdmin);

  app.get(
    '/settings',
    consoleRoute({ summary: "The customer's settings", response: { 200: ZCustomerSettings } }),
    async (request) => settings.get(adminPrincipalOf(request)),
  );

  app.put(
    '/settings',
    consoleRoute({
      summary: "Change the customer's settings (full admins): either or both",
      body: ZCustomerSettingsUpdate,
      response: { 200: ZCustomerSettings },
      errors: [400, 403, 409],
    }),
    async (request) => settings.update(adminPrincipalOf(request), request.body),
  );
};
