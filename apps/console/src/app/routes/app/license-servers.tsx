import { useEffect } from 'react';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { UploadUsageFiles } from '../../../features/license-servers/components/upload-usage-files.tsx';
import { LicenseServersList } from '../../../features/license-servers/components/license-servers-list.tsx';

export function LicenseServersRoute() {
  const announce = useAnnounce();
  useEffect(() => {
    document.title = 'License Servers · Console';
  }, []);
  return (
    <section className="page">
      <p className="section-title">Licensing</p>
      <div className="page-header">
        <h1>License Servers</h1>
      </div>
      <p className="muted">
        Every License Server that is registered or has uploaded usage data. Open one to see its usage.
      </p>
      <UploadUsageFiles />
      <LicenseServersList onMessage={announce} />
    </section>
  );
}
