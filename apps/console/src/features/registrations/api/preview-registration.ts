import { ZCodePreview, type TCodePreview } from '@reg/contracts/console-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Looks a code up without using it; the look-up is audited (it shows another product's host). */
function previewRegistration(code: string): Promise<TCodePreview> {
  return api.post('/api/console/registrations/preview', ZCodePreview, { body: { code } });
}

export const usePreviewRegistration = () =>
  useMutation({ mutationFn: previewRegistration, meta: { invalidates: [queryRoots.audit] } });
