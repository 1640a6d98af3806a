import { NavLink } from 'react-router';
import { paths } from '../../../config/paths.ts';
import { RequireMfaSection } from '../../../features/settings/components/require-mfa-section.tsx';
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
      <section className="page stack form-page">
        <div className="page-header">
          <h1>Sign-in</h1>
        </div>
        <RequireMfaSection />
        <SsoSettingsSection />
      </section>
    </div>
  );
}
