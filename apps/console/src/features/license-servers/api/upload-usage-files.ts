import { ZUsageFilesResult, type TUsageFilesResult } from '@reg/contracts/offline-api';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** One upload of at most 50 usage files (usage-offline-report/1); a result per file. */
export function uploadUsageFiles(files: File[]): Promise<TUsageFilesResult> {
  const form = new FormData();
  for (const file of files) form.append('files', file, file.name);
  return api.post('/api/console/usage-files', ZUsageFilesResult, { form });
}

export function useUploadUsageFiles() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: uploadUsageFiles,
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: queryRoots.licenseServers }),
        queryClient.invalidateQueries({ queryKey: queryRoots.registrations }),
        queryClient.invalidateQueries({ queryKey: queryRoots.audit }),
      ]),
  });
}
