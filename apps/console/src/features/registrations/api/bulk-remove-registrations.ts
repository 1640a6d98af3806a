import { ZBulkRemoveResult, type TBulkRemoveResult } from '@reg/contracts/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { dropRemoved, removalMeta } from './remove-registration.ts';

/** The API takes at most 200 ids per request (one transaction each). */
const BATCH = 200;

async function bulkRemoveRegistrations(ids: readonly string[]): Promise<TBulkRemoveResult> {
  const result: TBulkRemoveResult = { removed: [], notFound: [] };
  for (let start = 0; start < ids.length; start += BATCH) {
    const batch = await api.post('/api/console/registrations/bulk-remove', ZBulkRemoveResult, {
      body: { ids: ids.slice(start, start + BATCH) },
    });
    result.removed.push(...batch.removed);
    result.notFound.push(...batch.notFound);
  }
  return result;
}

export function useBulkRemoveRegistrations() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: bulkRemoveRegistrations,
    meta: removalMeta,
    // A notFound id is gone already (or never was this customer's): drop every one.
    onSuccess: (_, ids) => dropRemoved(queryClient, ids),
  });
}
