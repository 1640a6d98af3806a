import {
  ZCreatedApiClient,
  type TCreateApiClientRequest,
  type TCreatedApiClient,
} from '@reg/contracts/api-clients-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** The answer holds the client's secret: the only time it is ever sent. */
export function createApiClient(request: TCreateApiClientRequest): Promise<TCreatedApiClient> {
  return api.post('/api/console/api-clients', ZCreatedApiClient, { body: request });
}

export function useCreateApiClient() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createApiClient,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryRoots.apiClients }),
  });
}
