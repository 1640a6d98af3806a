import { NavLink, Outlet, useLocation } from 'react-router';
import { paths } from '../../../config/paths.ts';

const tabClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'tab active' : 'tab');

/** Identity and Access Management > API Access (and its pages) or Administrators, as rows of tabs. */
export function IamLayout() {
  const { pathname } = useLocation();
  return (
    <div className="section">
      <p className="section-title">Identity and Access Management</p>
      <nav className="tabs" aria-label="Identity and Access Management">
        <NavLink
          className={() => tabClass({ isActive: pathname.startsWith(paths.iam.apiAccess.path) })}
          to={paths.iam.apiAccess.productRegistrations.getHref()}
        >
          API Access
        </NavLink>
        <NavLink className={tabClass} to={paths.iam.administrators.getHref()}>
          Administrators
        </NavLink>
        <NavLink className={tabClass} to={paths.iam.notifications.getHref()}>
          Notifications
        </NavLink>
      </nav>
      {pathname.startsWith(paths.iam.apiAccess.path) && (
        <nav className="tabs tabs-secondary" aria-label="API Access">
          <NavLink className={tabClass} to={paths.iam.apiAccess.productRegistrations.getHref()}>
            Product Registrations
          </NavLink>
          <NavLink className={tabClass} to={paths.iam.apiAccess.secureClients.getHref()}>
            Secure Clients
          </NavLink>
          <NavLink className={tabClass} to={paths.iam.apiAccess.registrationKeys.getHref()}>
            Registration keys
          </NavLink>
        </nav>
      )}
      <Outlet />
    </div>
  );
}
