import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

async function denyRegistration(code: string): Promise<void> {
  await api.post('/api/console/registrations/deny', null, { body: { code } });
}

export function useDenyRegistration() {
  return useMutation({
    mutationFn: denyRegistration,
    meta: { invalidates: [queryRoots.audit] },
  });
}
