import { ZCustomerSettings, type TCustomerSettingsUpdate } from '@reg/contracts/settings-api';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

const settingsQueryOptions = () =>
  queryOptions({
    queryKey: [...queryRoots.settings],
    queryFn: ({ signal }) => api.get('/api/console/settings', ZCustomerSettings, { signal }),
  });

export const useSettings = () => useQuery(settingsQueryOptions());

export function useSaveSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: TCustomerSettingsUpdate) =>
      api.put('/api/console/settings', ZCustomerSettings, { body: settings }),
    // The rows' removal times follow the policy; the audit log has the change.
    meta: { invalidates: [queryRoots.registrations, queryRoots.audit] },
    onSuccess: (saved) => queryClient.setQueryData(settingsQueryOptions().queryKey, saved),
  });
}
