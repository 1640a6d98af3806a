import { ZSsoSettings, type TSsoSettingsRequest } from '@reg/contracts/sso-api';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

const ssoSettingsQueryOptions = () =>
  queryOptions({
    queryKey: [...queryRoots.ssoSettings],
    queryFn: ({ signal }) => api.get('/api/console/settings/sso', ZSsoSettings, { signal }),
  });

export const useSsoSettings = () => useQuery(ssoSettingsQueryOptions());

export function useSaveSsoSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: TSsoSettingsRequest) =>
      api.put('/api/console/settings/sso', ZSsoSettings, { body: settings }),
    meta: { invalidates: [queryRoots.audit] },
    onSuccess: (saved) => queryClient.setQueryData(ssoSettingsQueryOptions().queryKey, saved),
  });
}

export function useTurnOffSso() {
  return useMutation({
    mutationFn: () => api.delete('/api/console/settings/sso', null),
    meta: { invalidates: [queryRoots.ssoSettings, queryRoots.audit] },
  });
}
