import { NavLink } from 'react-router';
import { paths } from '../../../config/paths.ts';

const tabClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'tab active' : 'tab');

/** Licensing > "Usage" and "License Servers". */
export function LicensingTabs() {
  return (
    <>
      <p className="section-title">Licensing</p>
      <nav className="tabs" aria-label="Licensing">
        <NavLink className={tabClass} to={paths.licensing.usage.getHref()}>
          Usage
        </NavLink>
        <NavLink className={tabClass} to={paths.licensing.licenseServers.getHref()} end>
          License Servers
        </NavLink>
      </nav>
    </>
  );
}
