import { ZAuditEventList } from '@reg/contracts/audit-api';
import { ZLicenseServerList } from '@reg/contracts/usage-api';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/**
 * Whether the customer ever registered a product, asked only when none is registered now:
 * the registrations list holds active ones only. A removed server that uploaded usage is
 * still a license server; one that never did shows in the latest audit events (one page,
 * so a very old removal may be missed, and the page then shows the first-time help).
 */
async function hadRegistrations(signal?: AbortSignal): Promise<boolean> {
  const [servers, audit] = await Promise.all([
    api.get('/api/console/license-servers', ZLicenseServerList, { query: { limit: 1 }, signal }),
    api.get('/api/console/audit-events', ZAuditEventList, { query: { limit: 200 }, signal }),
  ]);
  return servers.items.length > 0 || audit.items.some((event) => event.action.startsWith('registration.'));
}

export const useHadRegistrations = (enabled: boolean) =>
  useQuery({
    queryKey: [...queryRoots.registrations, 'history'],
    queryFn: ({ signal }) => hadRegistrations(signal),
    enabled,
    staleTime: 60_000,
  });
