import { ZRegistration, type TRegistration } from '@reg/contracts/console-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export function createRegistration(code: string): Promise<TRegistration> {
  return api.post('/api/console/registrations', ZRegistration, { body: { code } });
}

export function useCreateRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createRegistration,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryRoots.registrations }),
        queryClient.invalidateQueries({ queryKey: queryRoots.licenseServers }),
        queryClient.invalidateQueries({ queryKey: queryRoots.audit }),
      ]),
  });
}
