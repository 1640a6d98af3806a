import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { useEntitlements } from '../../../features/entitlements/api/get-entitlements.ts';
import { EntitlementsTable } from '../../../features/entitlements/components/entitlements-table.tsx';
import { OverNotions } from '../../../features/entitlements/components/over-notions.tsx';
import { LicensingPage } from '../../../features/license-servers/components/licensing-tabs.tsx';

/** Licensing > Entitlements: every product key the License Servers hold, most urgent first. */
export function EntitlementsRoute() {
  const entitlements = useEntitlements();
  return (
    <LicensingPage
      title="Entitlements"
      intro="Licenses per product, edition and license model across your License Servers: how many are installed and in use, and when they expire."
    >
      <div className="toolbar">
        <DownloadCsvLink path="/api/console/entitlements.csv" query={{}} />
      </div>
      <EntitlementsTable query={entitlements} />
      <OverNotions warningDays={entitlements.data?.warningDays ?? 30} />
    </LicensingPage>
  );
}
