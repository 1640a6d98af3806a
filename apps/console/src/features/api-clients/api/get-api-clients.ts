import { ZApiClientList, type TApiClientList } from '@reg/contracts/api-clients-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function getApiClients(signal?: AbortSignal): Promise<TApiClientList> {
  return api.get('/api/console/api-clients', ZApiClientList, { signal });
}

const apiClientsQueryOptions = () =>
  queryOptions({
    queryKey: [...queryRoots.apiClients, 'list'],
    queryFn: ({ signal }) => getApiClients(signal),
  });

export const useApiClients = () => useQuery(apiClientsQueryOptions());
