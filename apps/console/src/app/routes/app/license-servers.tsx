import { useEffect } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { LicensingTabs } from '../../../features/license-servers/components/licensing-tabs.tsx';
import { LicenseServersList } from '../../../features/license-servers/components/license-servers-list.tsx';

export function LicenseServersRoute() {
  const announce = useAnnounce();
  useEffect(() => {
    document.title = 'License Servers · Console';
  }, []);
  return (
    <section className="page">
      <LicensingTabs />
      <div className="page-header">
        <h1>License Servers</h1>
      </div>
      <p className="muted">
        Every License Server that is registered or has uploaded usage data. Open one to see its usage.
      </p>
      <LicenseServersList onMessage={announce} />
    </section>
  );
}
