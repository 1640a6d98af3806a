import { ZLicenseServer, type TLicenseServer } from '@reg/contracts/usage-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** One server, as in the list. Null when the customer has no such server (404 not_found). */
async function getLicenseServer(id: string, signal?: AbortSignal): Promise<TLicenseServer | null> {
  try {
    return await api.get(`/api/console/license-servers/${encodeURIComponent(id)}`, ZLicenseServer, { signal });
  } catch (error) {
    if (isApiError(error, 'not_found') && error.status === 404) return null;
    throw error;
  }
}

const licenseServerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...queryRoots.licenseServers, 'one', id],
    queryFn: ({ signal }) => getLicenseServer(id, signal),
  });

export const useLicenseServer = (id: string) => useQuery(licenseServerQueryOptions(id));
