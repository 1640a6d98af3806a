import { ZRegistration, type TRegistration } from '@reg/contracts/console-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

function createRegistration(code: string): Promise<TRegistration> {
  return api.post('/api/console/registrations', ZRegistration, { body: { code } });
}

export function useCreateRegistration() {
  return useMutation({
    mutationFn: createRegistration,
    meta: { invalidates: [queryRoots.registrations, queryRoots.licenseServers, queryRoots.audit] },
  });
}
