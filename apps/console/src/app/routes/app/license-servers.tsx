import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { LicensingTabs } from '../../../features/license-servers/components/licensing-tabs.tsx';
import { UploadUsageFiles } from '../../../features/license-servers/components/upload-usage-files.tsx';
import { LicenseServersList } from '../../../features/license-servers/components/license-servers-list.tsx';
import { usePageTitle } from '../../../hooks/use-page-title.ts';

export function LicenseServersRoute() {
  const announce = useAnnounce();
  const canChange = useCanChange();
  usePageTitle('License Servers');
  return (
    <section className="page">
      <LicensingTabs />
      <div className="page-header">
        <h1>License Servers</h1>
      </div>
      <p className="muted">
        Every License Server that is registered or has uploaded usage data. Open one to see its usage.
      </p>
      {canChange && <UploadUsageFiles />}
      <LicenseServersList onMessage={announce} />
    </section>
  );
}
