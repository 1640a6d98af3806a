import { ZRegistration, type TRegistration, type TRegistrationTagsRequest } from '@reg/contracts/console-api';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import { queryRoots } from '../../../lib/query-keys.ts';

/** PATCH /registrations/:id: replaces the registration's tags, answers the registration. */
function editRegistrationTags({ id, tags }: { id: string } & TRegistrationTagsRequest): Promise<TRegistration> {
  return api.patch(`/api/console/registrations/${encodeURIComponent(id)}`, ZRegistration, { body: { tags } });
}

export function useEditRegistrationTags() {
  return useMutation({
    mutationFn: editRegistrationTags,
    // The list (and its tag filter), the usage overview by tag, and the audit entry of the change.
    meta: { invalidates: [queryRoots.registrations, queryRoots.licenseServers, queryRoots.audit] },
  });
}
