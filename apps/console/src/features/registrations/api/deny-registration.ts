import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

export async function denyRegistration(code: string): Promise<void> {
  await api.post('/api/console/registrations/deny', null, { body: { code } });
}

export function useDenyRegistration() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: denyRegistration,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryRoots.audit }),
  });
}
