import { ZOfflineRequestPreview, type TOfflineRequestPreview } from '@reg/contracts/offline-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Reads a request file (reg-offline-request/1) without using it; the preview is audited. */
function previewRequestFile(file: unknown): Promise<TOfflineRequestPreview> {
  return api.post('/api/console/registrations/offline/preview', ZOfflineRequestPreview, { body: file });
}

export const usePreviewRequestFile = () =>
  useMutation({ mutationFn: previewRequestFile, meta: { invalidates: [queryRoots.audit] } });
