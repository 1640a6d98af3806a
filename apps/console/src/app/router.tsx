import { useMemo } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { StatusProvider } from '../components/ui/status-message.tsx';
import { paths } from '../config/paths.ts';

function Providers() {
  return (
    <StatusProvider>
      <Outlet />
    </StatusProvider>
  );
}

const home = paths.home.getHref();

/**
 * Every page is its own chunk, loaded when its route matches (react-router's `lazy`), so the
 * sign-in page does not download the console and only chart pages download uPlot. Sizes:
 * `npm run bench` reports what the sign-in page, Product Registrations and the whole console
 * load (docs/benchmarks.md). A new page goes in the same way.
 */
function createRouter() {
  return createBrowserRouter([
    {
      element: <Providers />,
      children: [
        {
          path: paths.signIn.path,
          lazy: async () => ({ Component: (await import('./routes/sign-in.tsx')).SignInRoute }),
        },
        {
          lazy: async () => ({ Component: (await import('./routes/app/root.tsx')).AppRoot }),
          children: [
            { index: true, element: <Navigate to={home} replace /> },
            {
              path: paths.iam.path,
              lazy: async () => ({ Component: (await import('./routes/app/iam-layout.tsx')).IamLayout }),
              children: [
                { index: true, element: <Navigate to={home} replace /> },
                { path: 'api-access', element: <Navigate to={home} replace /> },
                {
                  path: 'api-access/product-registrations',
                  lazy: async () => ({
                    Component: (await import('./routes/app/product-registrations.tsx')).ProductRegistrationsRoute,
                  }),
                },
                {
                  path: 'api-access/secure-clients',
                  lazy: async () => ({
                    Component: (await import('./routes/app/secure-clients.tsx')).SecureClientsRoute,
                  }),
                },
                {
                  path: 'notifications',
                  lazy: async () => ({
                    Component: (await import('./routes/app/notifications.tsx')).NotificationsRoute,
                  }),
                },
              ],
            },
            { path: paths.licensing.path, element: <Navigate to={paths.licensing.licenseServers.getHref()} replace /> },
            {
              path: paths.licensing.licenseServers.path,
              lazy: async () => ({ Component: (await import('./routes/app/license-servers.tsx')).LicenseServersRoute }),
            },
            {
              path: paths.licensing.licenseServer.path,
              lazy: async () => ({ Component: (await import('./routes/app/license-server.tsx')).LicenseServerRoute }),
            },
            {
              path: paths.audit.path,
              lazy: async () => ({ Component: (await import('./routes/app/audit.tsx')).AuditRoute }),
            },
            { path: '*', lazy: async () => ({ Component: (await import('./routes/not-found.tsx')).NotFoundRoute }) },
          ],
        },
      ],
    },
  ]);
}

export function AppRouter() {
  const router = useMemo(createRouter, []);
  return <RouterProvider router={router} />;
}
