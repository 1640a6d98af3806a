import { ZAdmin } from '@reg/contracts/admins-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** PATCH /admins/:id {breakGlass}: whether the admin may still use a password under enforced single sign-on. */
export function useSetBreakGlass() {
  return useMutation({
    mutationFn: ({ id, breakGlass }: { id: string; breakGlass: boolean }) =>
      api.patch(`/api/console/admins/${encodeURIComponent(id)}`, ZAdmin, { body: { breakGlass } }),
    meta: { invalidates: [queryRoots.admins, queryRoots.audit] },
  });
}
