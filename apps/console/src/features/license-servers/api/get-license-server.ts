import type { TLicenseServer } from '@reg/contracts/usage-api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { queryRoots } from '../../../lib/query-keys.ts';
import { getLicenseServers } from './get-license-servers.ts';

/**
 * The API has no GET /license-servers/:id yet, so one server is found by walking the
 * list (sorted by name, 200 a page). Null when the customer has no such server.
 */
export async function getLicenseServer(id: string, signal?: AbortSignal): Promise<TLicenseServer | null> {
  let cursor: string | null = null;
  for (let page = 0; page < 50; page += 1) {
    const list = await getLicenseServers('', cursor, 200, signal);
    const found = list.items.find((server) => server.id === id);
    if (found) return found;
    if (!list.nextCursor) return null;
    cursor = list.nextCursor;
  }
  return null;
}

export const licenseServerQueryOptions = (id: string) =>
  queryOptions({
    queryKey: [...queryRoots.licenseServers, 'one', id],
    queryFn: ({ signal }) => getLicenseServer(id, signal),
  });

export const useLicenseServer = (id: string) => useQuery(licenseServerQueryOptions(id));
