import { LIMITS } from '@reg/contracts/common';
import {
  ZPollPending,
  ZPollRegistered,
  ZPollRequest,
  ZRequestCodeRequest,
  ZRequestCodeResponse,
  ZSlowDown,
} from '@reg/contracts/product-api';
import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { productRoute } from '../../lib/route.ts';
import type { CodeService } from './codes.service.ts';
import { createFloodGuard } from './flood-guard.ts';

interface Options {
  codes: CodeService;
  codeRequestsPerMinute: number;
}

/** The 201 body is built by the service to its type: written as JSON without validating it again. */
const plainJson = () => (data: unknown) => JSON.stringify(data);

export const codeRoutes: FastifyPluginAsyncZod<Options> = async (app, { codes, codeRequestsPerMinute }) => {
  // A guard against floods from one address, per instance and in memory (docs/protocol.md; docs/decisions/005-hand-written-flood-guard.md).
  const floodGuard = createFloodGuard(codeRequestsPerMinute);
  app.post(
    '/codes',
    productRoute(
      {
        summary: 'Ask for a registration code',
        bodyLimit: LIMITS.productBodyBytes,
        body: ZRequestCodeRequest,
        response: { 201: ZRequestCodeResponse },
        errors: [422, 429],
      },
      {
        // Before the body is read, as a flood guard should.
        onRequest: (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
          try {
            floodGuard(request.ip);
            done();
          } catch (error) {
            done(error as Error);
          }
        },
        serializerCompiler: plainJson,
      },
    ),
    async (request, reply) => reply.status(201).send(await codes.requestCode(request.body, request.ip)),
  );

  app.post(
    '/codes/poll',
    productRoute({
      summary: 'Wait for an admin to register the code',
      description:
        '202 pending; 429 slow_down (interval grows by 5 s); 200 registered with the credential, exactly once; ' +
        '410 code_consumed after that; 410 expired_code; 403 access_denied; 401 invalid_poll_token.',
      bodyLimit: LIMITS.productBodyBytes,
      body: ZPollRequest,
      response: { 200: ZPollRegistered, 202: ZPollPending, 429: ZSlowDown },
      errors: [401, 403, 410],
    }),
    async (request, reply) => {
      const result = await codes.poll(request.body.pollToken);
      return result.status === 'pending' ? reply.status(202).send(result) : reply.status(200).send(result);
    },
  );
};
