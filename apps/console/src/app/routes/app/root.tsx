import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Navigate, NavLink, Outlet, useLocation, useNavigate } from 'react-router';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { StatusRegion } from '../../../components/ui/status-message.tsx';
import { paths } from '../../../config/paths.ts';
import { sessionQueryKey, useSession } from '../../../features/auth/api/get-session.ts';
import { useSignOut } from '../../../features/auth/api/sign-out.ts';
import { CustomerSwitcher } from '../../../features/auth/components/customer-switcher.tsx';
import { isApiError } from '../../../lib/api-client.ts';

const isUnauthenticated = (error: unknown) => isApiError(error, 'unauthenticated');

/**
 * The route guard: a signed-out visit, or a 401 from any request later (the session
 * expired), goes to the sign-in page, which brings the admin back here afterwards.
 */
function useSignInOnUnauthenticated() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const location = useLocation();
  const here = `${location.pathname}${location.search}`;

  useEffect(() => {
    const leave = () => {
      queryClient.removeQueries({ queryKey: sessionQueryKey });
      navigate(paths.signIn.getHref(here), { replace: true });
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && isUnauthenticated(event.action.error)) leave();
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error' && isUnauthenticated(event.action.error)) leave();
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient, navigate, here]);
}

const navClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'nav-link active' : 'nav-link');

export function AppRoot() {
  const session = useSession();
  const signOut = useSignOut();
  const navigate = useNavigate();
  const location = useLocation();
  useSignInOnUnauthenticated();

  if (session.isPending) {
    return (
      <main className="page-center">
        <Loading />
      </main>
    );
  }
  if (session.isError) {
    if (isUnauthenticated(session.error)) {
      return <Navigate to={paths.signIn.getHref(`${location.pathname}${location.search}`)} replace />;
    }
    return (
      <main className="page-center">
        <ErrorState title="The console could not load." error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }

  const { admin, passwordChangeRequired, mfaEnrollmentRequired } = session.data;
  // A restricted session can do nothing but change its password or set up two-step verification:
  // every other page would be a 403, so it gets no navigation (links that only bounce back) either.
  const restricted = passwordChangeRequired || mfaEnrollmentRequired;
  if (restricted && location.pathname !== paths.account.path) {
    // Where the admin was heading: the Account page goes on there once the session is let through.
    return (
      <Navigate to={paths.account.getHref()} replace state={{ continueTo: `${location.pathname}${location.search}` }} />
    );
  }
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Cloud Console</span>
        <div className="account">
          {restricted ? (
            // Switching customers is refused until the session has done what it must.
            <span className="customer-name" title={session.data.customer.name}>
              {session.data.customer.name}
            </span>
          ) : (
            <CustomerSwitcher session={session.data} />
          )}
          <span className="admin-email" title={admin.email}>
            {admin.email}
          </span>
          <NavLink className="button button-ghost" to={paths.account.getHref()}>
            Account
          </NavLink>
          <button
            type="button"
            className="button button-ghost"
            disabled={signOut.isPending}
            onClick={() =>
              signOut.mutate(undefined, { onSettled: () => navigate(paths.signIn.path, { replace: true }) })
            }
          >
            Sign out
          </button>
        </div>
      </header>
      <div className={restricted ? 'shell-body shell-body-alone' : 'shell-body'}>
        {!restricted && (
          <nav className="sidebar" aria-label="Main">
            <NavLink
              className={() => navClass({ isActive: location.pathname.startsWith(paths.iam.path) })}
              to={paths.iam.apiAccess.productRegistrations.getHref()}
            >
              Identity and Access Management
            </NavLink>
            <NavLink
              className={() => navClass({ isActive: location.pathname.startsWith(paths.licensing.path) })}
              to={paths.licensing.licenseServers.getHref()}
            >
              Licensing
            </NavLink>
            <NavLink className={navClass} to={paths.audit.getHref()}>
              Audit log
            </NavLink>
            {admin.role === 'full' ? (
              <NavLink
                className={() => navClass({ isActive: location.pathname.startsWith(paths.settings.path) })}
                to={paths.settings.signIn.getHref()}
              >
                Settings
              </NavLink>
            ) : (
              // Read-only admins see where the settings are, without a way in that would only refuse them.
              <a className="nav-link" aria-disabled="true" role="link">
                Settings
              </a>
            )}
          </nav>
        )}
        <main id="main" className="content" tabIndex={-1}>
          <StatusRegion />
          <Outlet />
        </main>
      </div>
    </div>
  );
}
