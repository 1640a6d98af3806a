import {
  ZCreatedApiClient,
  type TCreateApiClientRequest,
  type TCreatedApiClient,
} from '@reg/contracts/api-clients-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** The answer holds the client's secret: the only time it is ever sent. */
function createApiClient(request: TCreateApiClientRequest): Promise<TCreatedApiClient> {
  return api.post('/api/console/api-clients', ZCreatedApiClient, { body: request });
}

export function useCreateApiClient() {
  return useMutation({
    mutationFn: createApiClient,
    meta: { invalidates: [queryRoots.apiClients, queryRoots.audit] },
  });
}
