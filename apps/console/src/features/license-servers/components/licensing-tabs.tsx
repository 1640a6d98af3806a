import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { paths } from '../../../config/paths.ts';
import { Page } from '../../../components/ui/page.tsx';

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
  return (
    <Page title={title} tabs={<LicensingTabs />} intro={intro}>
      {children}
    </Page>
  );
}
