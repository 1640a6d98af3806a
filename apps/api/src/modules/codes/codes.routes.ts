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
import { addressKey } from '../../lib/address.ts';
import { AppError } from '../../lib/errors.ts';
import type { CodeService } from './codes.service.ts';

interface Options {
  codes: CodeService;
  codeRequestsPerMinute: number;
}

export const codeRoutes: FastifyPluginAsyncZod<Options> = async (app, { codes, codeRequestsPerMinute }) => {
  app.post(
    '/codes',
    {
      bodyLimit: LIMITS.productBodyBytes,
      // A guard against floods from one address, per instance and in memory (PROTOCOL.md).
      config: {
        rateLimit: {
          max: codeRequestsPerMinute,
          timeWindow: 60_000,
          keyGenerator: (request) => addressKey(request.ip),
          errorResponseBuilder: (_request, context) =>
            new AppError('rate_limited', 'Too many code requests from this address; wait a minute.', {}, Math.ceil(context.ttl / 1000)),
        },
      },
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
        response: { 200: ZPollRegistered, 202: ZPollPending, 429: ZSlowDown, 401: ZErrorBody, 403: ZErrorBody, 410: ZErrorBody },
      },
    },
    async (request, reply) => {
      const result = await codes.poll(request.body.pollToken);
      return result.status === 'pending' ? reply.status(202).send(result) : reply.status(200).send(result);
    },
  );
};
