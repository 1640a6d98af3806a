import { lazy, Suspense, type ComponentType, type ReactElement } from 'react';
import { BrowserRouter, matchRoutes, Navigate, useLocation, useRoutes, type RouteObject } from 'react-router';
import { ErrorBoundary } from '../components/ui/error-boundary.tsx';
import { StatusProvider } from '../components/ui/status-message.tsx';
import { paths } from '../config/paths.ts';

/** A page's chunk: `element` renders it (suspending until loaded), `preload` starts the download. */
function lazyPage(load: () => Promise<ComponentType>): { element: ReactElement; preload: () => void } {
  let loading: Promise<{ default: ComponentType }> | null = null;
  const preload = () => {
    loading ??= load().then(
      (Component) => ({ default: Component }),
      (error: unknown) => {
        loading = null; // a failed download (offline) is tried again on the next visit
        throw error;
      },
    );
    return loading;
  };
  const Page = lazy(preload);
  return { element: <Page />, preload: () => void preload().catch(() => undefined) };
}

/** A route whose page is its own chunk; `handle.preload` lets the router fetch it early. */
function page(path: string | undefined, load: () => Promise<ComponentType>, children?: RouteObject[]): RouteObject {
  const { element, preload } = lazyPage(load);
  return { path, element, handle: { preload }, children };
}

const home = paths.home.getHref();
const toHome = <Navigate to={home} replace />;

/**
 * Every page is its own chunk, loaded when its route matches, so the sign-in page does not
 * download the console and only chart pages download uPlot. Sizes: `npm run bench` reports
 * what the sign-in page, Product Registrations and the whole console load
 * (docs/benchmarks.md). A new page goes in the same way.
 *
 * Declarative routes (BrowserRouter + useRoutes), not createBrowserRouter: the console uses
 * no loaders, actions or fetchers, and the data router is ~15 KB gzipped more in the entry
 * chunk that every page loads (the page budgets in docs/design.md).
 */
const routes: RouteObject[] = [
  page(paths.signIn.path, async () => (await import('./routes/sign-in.tsx')).SignInRoute),
  page(
    paths.iam.notificationsConfirm.path,
    async () => (await import('./routes/confirm-notifications.tsx')).ConfirmNotificationsRoute,
  ),
  page(paths.acceptInvitation.path, async () => (await import('./routes/accept-invitation.tsx')).AcceptInvitationRoute),
  page(paths.forgotPassword.path, async () => (await import('./routes/forgot-password.tsx')).ForgotPasswordRoute),
  page(paths.resetPassword.path, async () => (await import('./routes/reset-password.tsx')).ResetPasswordRoute),
  page(undefined, async () => (await import('./routes/app/root.tsx')).AppRoot, [
    { index: true, element: toHome },
    page(paths.iam.path, async () => (await import('./routes/app/iam-layout.tsx')).IamLayout, [
      { index: true, element: toHome },
      { path: 'api-access', element: toHome },
      page(
        'api-access/product-registrations',
        async () => (await import('./routes/app/product-registrations.tsx')).ProductRegistrationsRoute,
      ),
      page(
        'api-access/secure-clients',
        async () => (await import('./routes/app/secure-clients.tsx')).SecureClientsRoute,
      ),
      page(
        'api-access/registration-keys',
        async () => (await import('./routes/app/registration-keys.tsx')).RegistrationKeysRoute,
      ),
      page('notifications', async () => (await import('./routes/app/notifications.tsx')).NotificationsRoute),
      page('administrators', async () => (await import('./routes/app/administrators.tsx')).AdministratorsRoute),
    ]),
    { path: paths.licensing.path, element: <Navigate to={paths.licensing.licenseServers.getHref()} replace /> },
    page(paths.licensing.usage.path, async () => (await import('./routes/app/license-usage.tsx')).LicenseUsageRoute),
    page(
      paths.licensing.licenseServers.path,
      async () => (await import('./routes/app/license-servers.tsx')).LicenseServersRoute,
    ),
    page(
      paths.licensing.licenseServer.path,
      async () => (await import('./routes/app/license-server.tsx')).LicenseServerRoute,
    ),
    page(paths.audit.path, async () => (await import('./routes/app/audit.tsx')).AuditRoute),
    page(
      paths.licensing.entitlements.path,
      async () => (await import('./routes/app/entitlements.tsx')).EntitlementsRoute,
    ),
    { path: paths.settings.path, element: <Navigate to={paths.settings.signIn.getHref()} replace /> },
    page(
      paths.settings.signIn.path,
      async () => (await import('./routes/app/sign-in-settings.tsx')).SignInSettingsRoute,
    ),
    page(paths.account.path, async () => (await import('./routes/app/account.tsx')).AccountRoute),
    page('*', async () => (await import('./routes/not-found.tsx')).NotFoundRoute),
  ]),
];

interface PageHandle {
  preload?: () => void;
}

function Routes() {
  const { pathname } = useLocation();
  // A layout renders its page only once it has loaded (and the session has answered), so
  // start every chunk of the matched routes at once, as a data router would, not one by one.
  // Done during render, not in an effect, so the downloads begin before the first paint; a
  // preload is an import() whose promise the module keeps, so a second call costs nothing.
  for (const match of matchRoutes(routes, pathname) ?? []) (match.route.handle as PageHandle | undefined)?.preload?.();
  return useRoutes(routes);
}

const loadFailed = (
  <main className="page-center">
    <div role="alert" className="notice notice-error">
      The console could not be loaded; it may have been updated.{' '}
      <button type="button" className="button-link" onClick={() => window.location.reload()}>
        Reload the page
      </button>
    </div>
  </main>
);

export function AppRouter() {
  // Navigations run in a transition (BrowserRouter's default), so the page on screen stays
  // while the next one's chunk loads; the fallback shows only on the first paint.
  return (
    <BrowserRouter>
      <StatusProvider>
        <ErrorBoundary fallback={loadFailed}>
          <Suspense fallback={null}>
            <Routes />
          </Suspense>
        </ErrorBoundary>
      </StatusProvider>
    </BrowserRouter>
  );
}
