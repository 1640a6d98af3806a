import { ZRegistrationList } from '@reg/contracts/console-api';
import { ZMute, ZMuteList, type TCreateMuteRequest, type TMuteList } from '@reg/contracts/mutes-api';
import { queryOptions, useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Maintenance windows live beside the channels: the same root, so the deliveries log sees them too. */
const mutesKey = [...queryRoots.notificationChannels, 'mutes'] as const;

const getMutes = (signal?: AbortSignal): Promise<TMuteList> => api.get('/api/console/mutes', ZMuteList, { signal });

export const useMutes = () => useQuery(queryOptions({ queryKey: mutesKey, queryFn: ({ signal }) => getMutes(signal) }));

export const useCreateMute = () =>
  useMutation({
    mutationFn: (request: TCreateMuteRequest) => api.post('/api/console/mutes', ZMute, { body: request }),
    meta: { invalidates: [queryRoots.notificationChannels, queryRoots.audit] },
  });

export const useDeleteMute = () =>
  useMutation({
    mutationFn: async (id: string) => {
      await api.delete(`/api/console/mutes/${encodeURIComponent(id)}`, null);
    },
    meta: { invalidates: [queryRoots.notificationChannels, queryRoots.audit] },
  });

/** The servers a window may be for: the active registrations, by server name (a page of 200). */
export const useMuteServers = (enabled: boolean) =>
  useQuery(
    queryOptions({
      queryKey: [...queryRoots.registrations, 'mute-servers'],
      queryFn: ({ signal }) =>
        api.get('/api/console/registrations', ZRegistrationList, { query: { limit: '200' }, signal }),
      enabled,
    }),
  );
