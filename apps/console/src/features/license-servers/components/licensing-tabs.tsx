import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { paths } from '../../../config/paths.ts';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

const tabClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'tab active' : 'tab');

/** Licensing > "Usage", "License Servers" and "Entitlements". */
function LicensingTabs() {
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
        <NavLink className={tabClass} to={paths.licensing.entitlements.getHref()}>
          Entitlements
        </NavLink>
      </nav>
    </>
  );
}

/** A page under Licensing: its tabs, heading and one line saying what it shows. */
export function LicensingPage({ title, intro, children }: { title: string; intro: string; children: ReactNode }) {
  usePageTitle(title);
  return (
    <section className="page">
      <LicensingTabs />
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <p className="muted">{intro}</p>
      {children}
    </section>
  );
}
