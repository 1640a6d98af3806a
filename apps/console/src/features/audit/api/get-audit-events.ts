import { ZAuditEventList, type TAuditEventList } from '@reg/contracts/audit-api';
import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export function getAuditEvents(cursor: string | null, signal?: AbortSignal): Promise<TAuditEventList> {
  return api.get('/api/console/audit-events', ZAuditEventList, { query: { cursor, limit: 50 }, signal });
}

export const auditEventsQueryOptions = () =>
  infiniteQueryOptions({
    queryKey: [...queryRoots.audit, 'list'],
    queryFn: ({ pageParam, signal }) => getAuditEvents(pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
  });

export const useAuditEvents = () => useInfiniteQuery(auditEventsQueryOptions());
