import { useSession } from './api/get-session.ts';

/**
 * Whether the signed-in admin may change things (role `full`). A read-only admin sees every
 * page without the controls that change things; the API refuses them anyway (403 forbidden).
 */
export function useCanChange(): boolean {
  const session = useSession();
  return session.data?.admin.role === 'full';
}
