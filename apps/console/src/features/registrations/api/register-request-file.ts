import { ZOfflineResponseFile, type TOfflineResponseFile } from '@reg/contracts/offline-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** Registers the server of a request file; the answer is the response file to carry back. */
function registerRequestFile(file: unknown): Promise<TOfflineResponseFile> {
  return api.post('/api/console/registrations/offline', ZOfflineResponseFile, { body: file });
}

export function useRegisterRequestFile() {
  return useMutation({
    mutationFn: registerRequestFile,
    meta: { invalidates: [queryRoots.registrations, queryRoots.licenseServers, queryRoots.audit] },
  });
}
