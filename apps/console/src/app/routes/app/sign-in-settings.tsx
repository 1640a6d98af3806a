import { NavLink } from 'react-router';
import { paths } from '../../../config/paths.ts';
import { SsoSettingsSection } from '../../../features/sso/components/sso-settings-section.tsx';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

const tabClass = ({ isActive }: { isActive: boolean }) => (isActive ? 'tab active' : 'tab');

/** Settings > Sign-in: how administrators sign in to this account. */
export function SignInSettingsRoute() {
  usePageTitle('Sign-in settings');
  return (
    <div className="section">
      <p className="section-title">Settings</p>
      <nav className="tabs" aria-label="Settings">
        <NavLink className={tabClass} to={paths.settings.signIn.getHref()}>
          Sign-in
        </NavLink>
      </nav>
      <section className="page stack">
        <div className="page-header">
          <h1>Sign-in</h1>
        </div>
        {/* The "Two-step verification" section (require it of every administrator) goes here, above single sign-on. */}
        <SsoSettingsSection />
      </section>
    </div>
  );
}
