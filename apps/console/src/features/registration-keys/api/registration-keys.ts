import {
  ZCreatedRegistrationKey,
  ZRegistrationKeyList,
  type TCreateRegistrationKeyRequest,
  type TCreatedRegistrationKey,
  type TRegistrationKeyList,
} from '@reg/contracts/registration-keys-api';
import { infiniteQueryOptions, useInfiniteQuery, useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

const PATH = '/api/console/registration-keys';

function getRegistrationKeys(cursor: string | null, signal?: AbortSignal): Promise<TRegistrationKeyList> {
  return api.get(PATH, ZRegistrationKeyList, { query: { cursor, limit: 50 }, signal });
}

const registrationKeysQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: [...queryRoots.registrationKeys, 'list'],
    queryFn: ({ pageParam, signal }) => getRegistrationKeys(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });

export const useRegistrationKeys = () => useInfiniteQuery(registrationKeysQueryOptions());

/** The answer holds the key's secret: the only time it is ever sent (the service keeps its hash). */
function createRegistrationKey(request: TCreateRegistrationKeyRequest): Promise<TCreatedRegistrationKey> {
  return api.post(PATH, ZCreatedRegistrationKey, { body: request });
}

export function useCreateRegistrationKey() {
  return useMutation({
    mutationFn: createRegistrationKey,
    meta: { invalidates: [queryRoots.registrationKeys, queryRoots.audit] },
  });
}

/** No registration with the key commits after this; servers it registered stay registered. */
async function revokeRegistrationKey(id: string): Promise<void> {
  await api.delete(`${PATH}/${encodeURIComponent(id)}`, null);
}

export function useRevokeRegistrationKey() {
  return useMutation({
    mutationFn: revokeRegistrationKey,
    meta: { invalidates: [queryRoots.registrationKeys, queryRoots.audit] },
  });
}
