import type { TCompletePasswordResetRequest, TPasswordResetRequest } from '@reg/contracts/identity-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';

/** The same answer for any address: the page says so in the same words. */
export function useRequestPasswordReset() {
  return useMutation({
    mutationFn: (body: TPasswordResetRequest) => api.post('/api/console/password-reset', null, { body }),
    meta: { invalidates: [] },
  });
}

export function useCompletePasswordReset() {
  return useMutation({
    mutationFn: (body: TCompletePasswordResetRequest) =>
      api.post('/api/console/password-reset/complete', null, { body }),
    meta: { invalidates: [] },
  });
}
