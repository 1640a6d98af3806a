import { ZUsageFilesResult, type TUsageFilesResult } from '@reg/contracts/offline-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** One upload of at most 50 usage files (usage-offline-report/1); a result per file. */
function uploadUsageFiles(files: File[]): Promise<TUsageFilesResult> {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  return api.post('/api/console/usage-files', ZUsageFilesResult, { form });
}

export function useUploadUsageFiles() {
  return useMutation({
    mutationFn: uploadUsageFiles,
    meta: { invalidates: [queryRoots.licenseServers, queryRoots.registrations, queryRoots.audit] },
  });
}
