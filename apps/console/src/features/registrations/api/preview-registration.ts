import { ZCodePreview, type TCodePreview } from '@reg/contracts/console-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/** Looks a code up without using it; changes nothing, so nothing to invalidate. */
export function previewRegistration(code: string): Promise<TCodePreview> {
  return api.post('/api/console/registrations/preview', ZCodePreview, { body: { code } });
}

export const usePreviewRegistration = () => useMutation({ mutationFn: previewRegistration });
