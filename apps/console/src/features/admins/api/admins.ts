import { ZInvitedAdmin, ZAdmin, ZAdminList, type TAddAdminRequest, type TAdminRole } from '@reg/contracts/admins-api';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

const adminsQueryOptions = () =>
  queryOptions({
    queryKey: queryRoots.admins,
    queryFn: ({ signal }) => api.get('/api/console/admins', ZAdminList, { signal }),
  });

export const useAdmins = () => useQuery(adminsQueryOptions());

/** After any change: the list, and the audit log that records it. */
const meta = { invalidates: [queryRoots.admins, queryRoots.audit] };

/** The answer holds the invitation link: the only time it is ever sent. */
export function useAddAdmin() {
  return useMutation({
    mutationFn: (request: TAddAdminRequest) => api.post('/api/console/admins', ZInvitedAdmin, { body: request }),
    meta,
  });
}

/** A new link for an invited admin (the earlier one dies); shown once, like the first. */
export function useRenewInvitation() {
  return useMutation({
    mutationFn: (id: string) =>
      api.post(`/api/console/admins/${encodeURIComponent(id)}/invitation`, ZInvitedAdmin, { body: {} }),
    meta,
  });
}

export function useChangeRole() {
  return useMutation({
    mutationFn: ({ id, role }: { id: string; role: TAdminRole }) =>
      api.patch(`/api/console/admins/${encodeURIComponent(id)}`, ZAdmin, { body: { role } }),
    meta,
  });
}

export function useRemoveAdmin() {
  return useMutation({
    mutationFn: (id: string) => api.delete(`/api/console/admins/${encodeURIComponent(id)}`, null),
    meta,
  });
}

export const ROLE_LABELS: Record<TAdminRole, string> = { full: 'Full access', 'read-only': 'Read-only' };
