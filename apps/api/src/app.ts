import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { systemClock } from './lib/clock.ts';
import { adminRoutes } from './modules/admins/admins.routes.ts';
import { serializeRequest } from './lib/log-redaction.ts';
import { apiClientRoutes, tokenRoutes } from './modules/api-clients/api-clients.routes.ts';
import { auditCsvRoutes } from './modules/audit/audit-csv.routes.ts';
import { auditRoutes } from './modules/audit/audit.routes.ts';
import { codeRoutes } from './modules/codes/codes.routes.ts';
import { healthRoutes } from './modules/health/health.routes.ts';
import { consoleRegistrationRoutes } from './modules/registrations/console-registrations.routes.ts';
import { registrationCsvRoutes } from './modules/registrations/registrations-csv.routes.ts';
import { productRegistrationRoutes } from './modules/registrations/product-registration.routes.ts';
import { registrationTagsRoutes } from './modules/registrations/registration-tags.routes.ts';
import { sessionRoutes } from './modules/session/session.routes.ts';
import { identityRoutes } from './modules/session/identity.routes.ts';
import { accountRoutes } from './modules/session/account.routes.ts';
import { offlineRoutes } from './modules/offline/offline.routes.ts';
import { notificationRoutes } from './modules/notifications/notifications.routes.ts';
import { settingsRoutes } from './modules/settings/settings.routes.ts';
import { licenseServerRoutes } from './modules/license-servers/license-servers.routes.ts';
import { usageUploadRoutes } from './modules/usage/usage-upload.routes.ts';
import { usageRoutes } from './modules/usage/usage.routes.ts';
import { entitlementRoutes } from './modules/entitlements/entitlements.routes.ts';
import { muteRoutes } from './modules/notifications/mutes.routes.ts';
import { ssoRoutes } from './modules/sso/sso.routes.ts';
import { registrationKeyRoutes } from './modules/registration-keys/registration-keys.routes.ts';
import { mfaRoutes } from './modules/mfa/mfa.routes.ts';
import consoleAuth from './plugins/console-auth.ts';
import consoleStatic from './plugins/console-static.ts';
import errorHandler, { internalErrorMessage, sendError } from './plugins/error-handler.ts';
import metricsPlugin, { createMetrics, type Metrics } from './plugins/metrics.ts';
import openapi from './plugins/openapi.ts';
import requestDeadline from './plugins/request-deadline.ts';
import requestId, { genRequestId } from './plugins/request-id.ts';
import securityHeaders from './plugins/security-headers.ts';
import { createServices, type Deps, type Services } from './services.ts';

export const CONSOLE_DIST = fileURLToPath(new URL('../../console/dist', import.meta.url));

export interface AppOptions extends Omit<Deps, 'clock'> {
  clock?: Deps['clock'];
  /** Where the built console is; not served when absent. */
  consoleDist?: string | null;
  /** Told of every route as it is added (the roles test enumerates them so none is forgotten). */
  onRoute?: (route: RouteOptions) => void;
  /** Where the log goes; standard output when absent. */
  logStream?: { write(line: string): void };
}

/** Builds the whole service as one Fastify instance; only server.ts calls listen. */
export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const clock = options.clock ?? systemClock;
  const services = createServices({ ...options, clock });
  const app = Fastify({
    logger: {
      level: config.LOG_LEVEL,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
      // Codes, tokens and secrets in a query are replaced in every logged URL.
      serializers: { req: serializeRequest },
      ...(options.logStream && { stream: options.logStream }),
    },
    // Fastify accepts a hop count too, though its types say otherwise.
    trustProxy: config.TRUST_PROXY as boolean | string[],
    genReqId: genRequestId,
    bodyLimit: 16 * 1024,
    return503OnClosing: true,
    // Met before routing: a path that is not valid percent-encoding, or a path segment too long
    // to be an id. Answered like any id that is not a UUID (docs/protocol.md), not in Fastify's own body.
    frameworkErrors: (error, request, reply: FastifyReply) => {
      reply.header('X-Request-Id', request.id);
      return error.code === 'FST_ERR_ASYNC_CONSTRAINT'
        ? sendError(reply, 'internal_error', internalErrorMessage(request.id))
        : sendError(reply, 'not_found');
    },
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandler);
  // First of the request hooks: everything after it, the credential checks too, runs under the deadline.
  await app.register(requestDeadline, { timeoutMs: config.REQUEST_TIMEOUT_MS });
  const metrics = createMetrics(services.health);
  await app.register(metricsPlugin, { metrics });
  await app.register(requestId);
  await app.register(securityHeaders, { publicUrl: config.PUBLIC_URL });
  await app.register(cookie, { secret: services && options.secrets.sessionSecret });
  await app.register(consoleAuth, {
    sessions: services.sessions,
    apiClients: services.apiClients,
    publicUrl: config.PUBLIC_URL,
  });
  await app.register(openapi, { publicUrl: config.PUBLIC_URL });

  await app.register(healthRoutes, { health: services.health });
  await app.register(
    async (product) => {
      await product.register(codeRoutes, {
        codes: services.codes,
        codeRequestsPerMinute: config.LIMIT_CODE_REQUESTS_PER_MINUTE,
      });
      await product.register(productRegistrationRoutes, {
        registrations: services.registrations,
        keyRegistrations: services.keyRegistrations,
        cloneDetection: services.cloneDetection,
      });
      await product.register(usageUploadRoutes, { cloneDetection: services.cloneDetection, usage: services.usage });
    },
    { prefix: '/api/product/v1' },
  );
  // Every way in (password, second step, invitation, single sign-on) sets the same session cookie.
  const sessionCookie = { publicUrl: config.PUBLIC_URL, maxAgeSeconds: config.SESSION_MAX_HOURS * 3600 };
  await app.register(
    async (consoleApi) => {
      await consoleApi.register(sessionRoutes, { sessions: services.sessions, ...sessionCookie });
      await consoleApi.register(consoleRegistrationRoutes, {
        registrations: services.registrations,
        pendingApprovals: services.pendingApprovals,
      });
      await consoleApi.register(auditRoutes, { audit: services.audit });
      await consoleApi.register(licenseServerRoutes, { licenseServers: services.licenseServers });
      await consoleApi.register(usageRoutes, { usage: services.usage, clock });
      await consoleApi.register(apiClientRoutes, { apiClients: services.apiClients });
      await consoleApi.register(adminRoutes, { admins: services.admins, invitations: services.invitations });
      await consoleApi.register(settingsRoutes, { settings: services.settings });
      await consoleApi.register(registrationCsvRoutes, { registrations: services.registrations, clock });
      await consoleApi.register(auditCsvRoutes, { audit: services.audit, clock });
      await consoleApi.register(offlineRoutes, { offline: services.offline });
      await consoleApi.register(notificationRoutes, { notifications: services.notifications });
      await consoleApi.register(entitlementRoutes, { entitlements: services.entitlements, clock });
      await consoleApi.register(muteRoutes, { mutes: services.mutes });
      await consoleApi.register(identityRoutes, {
        sessions: services.sessions,
        invitations: services.invitations,
        ...sessionCookie,
      });
      await consoleApi.register(ssoRoutes, {
        ssoSettings: services.ssoSettings,
        ssoSignIn: services.ssoSignIn,
        ...sessionCookie,
      });
      await consoleApi.register(accountRoutes, { account: services.account, passwordResets: services.passwordResets });
      await consoleApi.register(registrationKeyRoutes, { registrationKeys: services.registrationKeys });
      await consoleApi.register(registrationTagsRoutes, { registrationTags: services.registrationTags });
      await consoleApi.register(mfaRoutes, { mfa: services.mfa, mfaSignIn: services.mfaSignIn, ...sessionCookie });
    },
    { prefix: '/api/console' },
  );
  await app.register(tokenRoutes, { prefix: '/api/v1', apiClients: services.apiClients });
  if (options.consoleDist !== null && config.SERVE_CONSOLE) {
    await app.register(consoleStatic, { root: options.consoleDist ?? CONSOLE_DIST });
  }
  app.decorate('services', services);
  app.decorate('metrics', metrics);
  app.addHook('onClose', () => services.notifications.close());
  app.addHook('onClose', () => services.ssoDiscovery.close());
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
    /** Served on METRICS_PORT by server.ts; background work reports to it too. */
    metrics: Metrics;
  }
}
