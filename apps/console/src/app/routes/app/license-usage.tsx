import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useUsageOverview } from '../../../features/license-servers/api/get-usage-overview.ts';
import { LicensingPage } from '../../../features/license-servers/components/licensing-tabs.tsx';
import { ServerCounts } from '../../../features/license-servers/components/server-counts.tsx';
import { CoverageTable, LatestCoverage } from '../../../features/license-servers/components/server-coverage.tsx';
import { UsageFigures } from '../../../features/license-servers/components/usage-figures.tsx';
import { usageViewParams, useUsageView } from '../../../features/license-servers/components/usage-range.ts';
import { UsageViewControls } from '../../../features/license-servers/components/usage-view-controls.tsx';

/** Licensing > Usage: across every license server of the customer. */
export function LicenseUsageRoute() {
  const [view, setView] = useUsageView();
  const overview = useUsageOverview(usageViewParams(view));

  return (
    <LicensingPage
      title="License usage"
      intro="Installed and in use across all your License Servers, per product, edition and license model."
    >
      <div className="toolbar">
        <UsageViewControls view={view} onChange={setView} />
        <DownloadCsvLink path="/api/console/usage/overview.csv" query={usageViewParams(view)} />
      </div>
      {overview.isPending ? (
        <Loading label="Loading usage…" />
      ) : overview.isError ? (
        <ErrorState
          title="The usage could not be loaded."
          error={overview.error}
          onRetry={() => void overview.refetch()}
        />
      ) : (
        <>
          <ServerCounts servers={overview.data.servers} />
          <LatestCoverage coverage={overview.data.coverage} />
          <UsageFigures data={overview.data} />
          <CoverageTable coverage={overview.data.coverage} />
        </>
      )}
    </LicensingPage>
  );
}
