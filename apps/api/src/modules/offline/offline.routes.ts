import multipart from '@fastify/multipart';
import { LIMITS } from '@reg/contracts/common';
import {
  OFFLINE_LIMITS,
  ZOfflineRequestFile,
  ZOfflineRequestPreview,
  ZOfflineResponseFile,
  ZUsageFilesResult,
  responseFileName,
} from '@reg/contracts/offline-api';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../lib/errors.ts';
import { adminPrincipalOf, principalOf } from '../../lib/principal.ts';
import { consoleRoute, type ErrorStatus } from '../../lib/route.ts';
import type { OfflineService } from './offline.service.ts';
import type { UsageFile } from './usage-file.ts';

/** The multipart parser's limits, in the API's own error body. */
const MULTIPART_ERRORS: Record<string, AppError> = {
  FST_FILES_LIMIT: new AppError(
    'payload_too_large',
    `At most ${OFFLINE_LIMITS.usageFilesPerUpload} files per upload; the files before were taken (sending them again answers duplicate).`,
  ),
  FST_PARTS_LIMIT: new AppError('payload_too_large', 'Too many parts in this upload.'),
  FST_FIELDS_LIMIT: new AppError('invalid_request', 'Send only files, in the field "files".'),
  FST_INVALID_MULTIPART_CONTENT_TYPE: new AppError(
    'unsupported_media_type',
    'Send the usage files as multipart/form-data.',
  ),
};

/** The uploaded files one at a time, as the multipart stream delivers them. */
async function* usageFiles(request: FastifyRequest): AsyncGenerator<UsageFile> {
  try {
    for await (const part of request.files()) {
      // throwFileSizeLimit is off: a file over 2 MiB is refused alone, the others still count.
      const bytes = await part.toBuffer();
      yield { name: part.filename || part.fieldname, bytes, truncated: part.file.truncated };
    }
  } catch (error) {
    throw MULTIPART_ERRORS[(error as { code?: string }).code ?? ''] ?? error;
  }
}

export const offlineRoutes: FastifyPluginAsyncZod<{ offline: OfflineService }> = async (app, { offline }) => {
  app.addHook('preValidation', app.requireAdmin);
  await app.register(multipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: LIMITS.usageWireBytes,
      files: OFFLINE_LIMITS.usageFilesPerUpload,
      fields: 0,
      parts: OFFLINE_LIMITS.usageFilesPerUpload,
    },
  });
  const fileErrors = [400, 409, 413, 422] as const satisfies readonly ErrorStatus[];

  app.post(
    '/registrations/offline/preview',
    consoleRoute({
      summary: 'Read a request file (reg-offline-request/1) without using it',
      description:
        'The body is the file. 422 request_file_invalid when its signature does not match; 409 request_already_used.',
      bodyLimit: OFFLINE_LIMITS.registrationFileBytes,
      body: ZOfflineRequestFile,
      response: { 200: ZOfflineRequestPreview },
      errors: fileErrors,
    }),
    async (request) => offline.previewRequest(principalOf(request), request.body),
  );

  app.post(
    '/registrations/offline',
    consoleRoute({
      summary: 'Register the server of a request file; answers the response file (reg-offline-response/1)',
      description:
        'Creates a registration as POST /registrations does (replacing an active one of the same instanceId). ' +
        'A request file registers once: 409 request_already_used after, also once the registration was removed.',
      bodyLimit: OFFLINE_LIMITS.registrationFileBytes,
      body: ZOfflineRequestFile,
      response: { 201: ZOfflineResponseFile },
      errors: fileErrors,
    }),
    async (request, reply) => {
      const response = await offline.registerFromRequest(adminPrincipalOf(request), request.body);
      return reply
        .status(201)
        .header('Content-Disposition', `attachment; filename="${responseFileName(response.serverName)}"`)
        .send(response);
    },
  );

  app.post(
    '/usage-files',
    consoleRoute({
      summary: 'Upload usage files (usage-offline-report/1) written by License Servers without a route to the cloud',
      description:
        'multipart/form-data, up to 50 files (field "files"), each at most 2 MiB and 4 MiB decompressed. 200 with a ' +
        'result per file: accepted, duplicate (the same reportId and report again) or refused with the reason ' +
        '(report_conflict, file_tampered, registration_removed, not_this_customer, ...).',
      consumes: ['multipart/form-data'],
      response: { 200: ZUsageFilesResult },
      errors: [400, 413, 415],
    }),
    async (request) => offline.uploadUsageFiles(adminPrincipalOf(request), usageFiles(request)),
  );
};
