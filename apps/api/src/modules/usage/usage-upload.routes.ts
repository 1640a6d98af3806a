import { LIMITS } from '@reg/contracts/common';
import { ZUsageAccepted, ZUsageReport } from '@reg/contracts/usage-api';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { productRoute } from '../../lib/route.ts';
import type { CloneDetection } from '../registrations/clone-detection.service.ts';
import type { RegistrationRow } from '../registrations/registrations.service.ts';
import { usageBodyStream } from './usage-body.ts';
import type { UsageIngestion } from './usage-ingestion.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    registration?: RegistrationRow;
  }
}

export const usageUploadRoutes: FastifyPluginAsyncZod<{
  cloneDetection: CloneDetection;
  usage: UsageIngestion;
}> = async (app, { cloneDetection, usage }) => {
  app.post(
    '/usage',
    productRoute(
      {
        summary: 'Upload usage data (Call Home)',
        description:
          'Bearer credential. Content-Encoding: gzip accepted. 202 when stored (after commit); 200 duplicate:true for a ' +
          'reportId already stored with the same body; 409 report_conflict for the same reportId with another body; ' +
          '413 above 2 MiB on the wire or 4 MiB decompressed; 401 registration_removed once removed.',
        security: [{ productCredential: [] }],
        // Inflated size; the 2 MiB wire limit is enforced while reading (usage-body.ts).
        bodyLimit: LIMITS.usageInflatedBytes,
        body: ZUsageReport,
        response: { 200: ZUsageAccepted, 202: ZUsageAccepted },
        errors: [400, 401, 409, 413],
      },
      {
        // The credential (and the machine it comes from) is checked before a byte of the body is read.
        onRequest: async (request: FastifyRequest) => {
          request.registration = await cloneDetection.authenticate(request);
        },
        preParsing: usageBodyStream,
      },
    ),
    async (request, reply) => {
      const { status, body } = await usage.ingest(request.registration!, request.body);
      return reply.status(status).send(body);
    },
  );
};
