import { useMemo } from 'react';
import { createBrowserRouter, Navigate, Outlet, RouterProvider } from 'react-router';
import { StatusProvider } from '../components/ui/status-message.tsx';
import { paths } from '../config/paths.ts';
import { AdministratorsRoute } from './routes/app/administrators.tsx';
import { AppRoot } from './routes/app/root.tsx';
import { AuditRoute } from './routes/app/audit.tsx';
import { IamLayout } from './routes/app/iam-layout.tsx';
import { LicenseServerRoute } from './routes/app/license-server.tsx';
import { LicenseServersRoute } from './routes/app/license-servers.tsx';
import { ProductRegistrationsRoute } from './routes/app/product-registrations.tsx';
import { SecureClientsRoute } from './routes/app/secure-clients.tsx';
import { NotFoundRoute } from './routes/not-found.tsx';
import { SignInRoute } from './routes/sign-in.tsx';

function Providers() {
  return (
    <StatusProvider>
      <Outlet />
    </StatusProvider>
  );
}

const home = paths.home.getHref();

function createRouter() {
  return createBrowserRouter([
    {
      element: <Providers />,
      children: [
        { path: paths.signIn.path, element: <SignInRoute /> },
        {
          element: <AppRoot />,
          children: [
            { index: true, element: <Navigate to={home} replace /> },
            {
              path: paths.iam.path,
              element: <IamLayout />,
              children: [
                { index: true, element: <Navigate to={home} replace /> },
                { path: 'api-access', element: <Navigate to={home} replace /> },
                { path: 'api-access/product-registrations', element: <ProductRegistrationsRoute /> },
                { path: 'api-access/secure-clients', element: <SecureClientsRoute /> },
                { path: 'administrators', element: <AdministratorsRoute /> },
              ],
            },
            { path: paths.licensing.path, element: <Navigate to={paths.licensing.licenseServers.getHref()} replace /> },
            { path: paths.licensing.licenseServers.path, element: <LicenseServersRoute /> },
            { path: paths.licensing.licenseServer.path, element: <LicenseServerRoute /> },
            { path: paths.audit.path, element: <AuditRoute /> },
            { path: '*', element: <NotFoundRoute /> },
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
