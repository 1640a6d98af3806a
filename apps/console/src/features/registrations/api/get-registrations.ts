import {
  ZRegistrationList,
  type TRegistrationList,
  type TRegistrationSort,
  type TRegistrationStatus,
  type TSortOrder,
} from '@reg/contracts/console-api';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export interface RegistrationFilters {
  query: string;
  status: TRegistrationStatus | '';
  /** One tag the API takes, or '' for none. */
  tag: string;
  sort: TRegistrationSort;
  order: TSortOrder;
}

function getRegistrations(
  filters: RegistrationFilters,
  cursor: string | null,
  signal?: AbortSignal,
): Promise<TRegistrationList> {
  return api.get('/api/console/registrations', ZRegistrationList, {
    query: {
      query: filters.query.trim(),
      status: filters.status,
      tag: filters.tag,
      sort: filters.sort,
      order: filters.order,
      cursor,
      limit: 50,
    },
    signal,
  });
}

const registrationsQueryKey = queryRoots.registrations;

const registrationsQueryOptions = (filters: RegistrationFilters) =>
  infiniteQueryOptions({
    queryKey: [...registrationsQueryKey, 'list', filters],
    queryFn: ({ pageParam, signal }) => getRegistrations(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    placeholderData: keepPreviousData,
  });

export const useRegistrations = (filters: RegistrationFilters) => useInfiniteQuery(registrationsQueryOptions(filters));
