import {
  ZMfaStatus,
  ZRecoveryCodes,
  ZTotpEnrollment,
  type TPasswordConfirmation,
  type TTotpConfirmRequest,
} from '@reg/contracts/identity-api';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

const ownMfaQueryOptions = () =>
  queryOptions({
    queryKey: queryRoots.ownMfa,
    queryFn: ({ signal }) => api.get('/api/console/session/mfa', ZMfaStatus, { signal }),
  });

export const useOwnMfa = () => useQuery(ownMfaQueryOptions());

/** A new secret for the authenticator app (nothing changes until it is confirmed). */
export function useStartTotp() {
  return useMutation({
    mutationFn: () => api.post('/api/console/session/mfa/totp', ZTotpEnrollment, { body: {} }),
    meta: { invalidates: [] },
  });
}

/** On: the session's restriction (if any) lifts, so the session body is read again. */
export function useConfirmTotp() {
  return useMutation({
    mutationFn: (body: TTotpConfirmRequest) =>
      api.post('/api/console/session/mfa/totp/confirm', ZRecoveryCodes, { body }),
    meta: { invalidates: [queryRoots.ownMfa, queryRoots.session, queryRoots.audit] },
  });
}

export function useTurnOffTotp() {
  return useMutation({
    mutationFn: (body: TPasswordConfirmation) => api.delete('/api/console/session/mfa/totp', null, { body }),
    meta: { invalidates: [queryRoots.ownMfa, queryRoots.audit] },
  });
}
