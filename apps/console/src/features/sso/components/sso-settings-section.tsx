import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useSsoSettings } from '../api/sso-settings.ts';
import { SsoSettingsForm } from './sso-settings-form.tsx';

/** The "Single sign-on" section of Settings > Sign-in. */
export function SsoSettingsSection() {
  const settings = useSsoSettings();
  return (
    <section className="stack" aria-labelledby="sso-heading">
      <h2 id="sso-heading">Single sign-on</h2>
      <p className="muted">
        Administrators whose email is in one of the domains sign in with your identity provider (OpenID Connect).
        Register the redirect URI there; the groups decide each administrator&rsquo;s role at every sign-in.
      </p>
      {settings.isPending ? (
        <Loading label="Loading single sign-on settings…" />
      ) : settings.isError ? (
        <ErrorState
          title="The single sign-on settings could not be loaded."
          error={settings.error}
          onRetry={settings.refetch}
        />
      ) : (
        // Mounted afresh when single sign-on is set up or turned off, so the form starts from what is stored.
        <SsoSettingsForm key={settings.data.issuer ?? 'off'} saved={settings.data} />
      )}
    </section>
  );
}
