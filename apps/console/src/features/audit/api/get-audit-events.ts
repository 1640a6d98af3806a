import { ZAuditEventList, type TAuditAction, type TAuditEventList } from '@reg/contracts/audit-api';
import { infiniteQueryOptions, keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** The audit log's filters as the API names them; days (`YYYY-MM-DD`) as the date inputs give them. */
export interface AuditFilters {
  action: TAuditAction | '';
  from: string;
  to: string;
}

function getAuditEvents(filters: AuditFilters, cursor: string | null, signal?: AbortSignal): Promise<TAuditEventList> {
  return api.get('/api/console/audit-events', ZAuditEventList, { query: { ...filters, cursor, limit: 50 }, signal });
}

const auditEventsQueryOptions = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: [...queryRoots.audit, 'list', filters],
    queryFn: ({ pageParam, signal }) => getAuditEvents(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (lastPage) => lastPage.nextCursor,
    // Keep the rows on screen while a changed filter loads.
    placeholderData: keepPreviousData,
  });

export const useAuditEvents = (filters: AuditFilters) => useInfiniteQuery(auditEventsQueryOptions(filters));
