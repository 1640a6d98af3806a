import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { LicensingPage } from '../../../features/license-servers/components/licensing-tabs.tsx';
import { UploadUsageFiles } from '../../../features/license-servers/components/upload-usage-files.tsx';
import { LicenseServersList } from '../../../features/license-servers/components/license-servers-list.tsx';

export function LicenseServersRoute() {
  const announce = useAnnounce();
  const canChange = useCanChange();
  return (
    <LicensingPage
      title="License Servers"
      intro="Every License Server that is registered or has uploaded usage data. Open one to see its usage."
    >
      {canChange && <UploadUsageFiles />}
      <LicenseServersList onMessage={announce} />
    </LicensingPage>
  );
}
