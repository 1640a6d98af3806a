import { ZApproveRegistrationsResult, ZDenyRegistrationsResult } from '@reg/contracts/registration-keys-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export type TDecision = 'approve' | 'deny';

/**
 * The API takes up to 1,000 ids in one transaction; smaller batches let the dialog show how
 * far a long selection has got, and a failure leaves the batches before it decided.
 */
const BATCH = 250;

export interface DecisionResult {
  /** Approved or denied now. */
  decided: string[];
  /** No longer pending (decided elsewhere, removed) or never this customer's. */
  notFound: string[];
}

async function decideRegistrations(
  decision: TDecision,
  ids: readonly string[],
  onProgress: (done: number) => void = () => undefined,
): Promise<DecisionResult> {
  const result: DecisionResult = { decided: [], notFound: [] };
  for (let start = 0; start < ids.length; start += BATCH) {
    const body = { ids: ids.slice(start, start + BATCH) };
    if (decision === 'approve') {
      const batch = await api.post('/api/console/registrations/approve', ZApproveRegistrationsResult, { body });
      result.decided.push(...batch.approved);
      result.notFound.push(...batch.notFound);
    } else {
      const batch = await api.post('/api/console/registrations/deny', ZDenyRegistrationsResult, { body });
      result.decided.push(...batch.denied);
      result.notFound.push(...batch.notFound);
    }
    onProgress(Math.min(start + BATCH, ids.length));
  }
  return result;
}

export function useDecideRegistrations() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({
      decision,
      ids,
      onProgress,
    }: {
      decision: TDecision;
      ids: readonly string[];
      onProgress?: (done: number) => void;
    }) => decideRegistrations(decision, ids, onProgress),
    // An approved server becomes a license server; a denied request is gone from the list.
    meta: { invalidates: [queryRoots.registrations, queryRoots.licenseServers, queryRoots.audit] },
    // A failed batch may follow decided ones (meta refetches after a success only): show those too.
    onError: () => queryClient.invalidateQueries({ queryKey: queryRoots.registrations }),
  });
}
