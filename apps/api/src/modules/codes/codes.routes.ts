import { ZErrorBody, LIMITS } from '@reg/contracts/common';
import {
  ZPollPending,
  ZPollRegistered,
  ZPollRequest,
  ZRequestCodeRequest,
  ZRequestCodeResponse,
  ZSlowDown,
} from '@reg/contracts/product-api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
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
    {
      bodyLimit: LIMITS.productBodyBytes,
      // Before the body is read, as a flood guard should.
      onRequest: (request, _reply, done) => {
        try {
          floodGuard(request.ip);
          done();
        } catch (error) {
          done(error as Error);
        }
      },
      serializerCompiler: plainJson,
      schema: {
        summary: 'Ask for a registration code',
        tags: ['product'],
        body: ZRequestCodeRequest,
        response: { 201: ZRequestCodeResponse, 422: ZErrorBody, 429: ZErrorBody },
      },
    },
    async (request, reply) => reply.status(201).send(await codes.requestCode(request.body, request.ip)),
  );

  app.post(
    '/codes/poll',
    {
      bodyLimit: LIMITS.productBodyBytes,
      schema: {
        summary: 'Wait for an admin to register the code',
        description:
          '202 pending; 429 slow_down (interval grows by 5 s); 200 registered with the credential, exactly once; ' +
          '410 code_consumed after that; 410 expired_code; 403 access_denied; 401 invalid_poll_token.',
        tags: ['product'],
        body: ZPollRequest,
        response: {
          200: ZPollRegistered,
          202: ZPollPending,
          429: ZSlowDown,
          401: ZErrorBody,
          403: ZErrorBody,
          410: ZErrorBody,
        },
      },
    },
    async (request, reply) => {
      const result = await codes.poll(request.body.pollToken);
      return result.status === 'pending' ? reply.status(202).send(result) : reply.status(200).send(result);
    },
  );
};
