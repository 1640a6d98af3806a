import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { isTag, TagField } from '../../../components/ui/tag-field.tsx';
import { useUrlSearchText, useUrlView } from '../../../hooks/use-url-view.ts';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useUsageOverview } from '../../../features/license-servers/api/get-usage-overview.ts';
import { LicensingPage } from '../../../features/license-servers/components/licensing-tabs.tsx';
import { ServerCounts } from '../../../features/license-servers/components/server-counts.tsx';
import { CoverageTable, LatestCoverage } from '../../../features/license-servers/components/server-coverage.tsx';
import { UsageFigures } from '../../../features/license-servers/components/usage-figures.tsx';
import { usageViewParams, useUsageView } from '../../../features/license-servers/components/usage-range.ts';
import { UsageViewControls } from '../../../features/license-servers/components/usage-view-controls.tsx';

const TAG_VIEW = { tag: '' } as const;

/** Licensing > Usage: across every license server of the customer, or those tagged (?tag=). */
export function LicenseUsageRoute() {
  const [view, setView] = useUsageView();
  const [tagView, setTagView] = useUrlView(TAG_VIEW);
  const [tagText, setTagText] = useUrlSearchText(tagView.tag, (tag) => setTagView({ tag }, { replace: true }));
  // A tag the API would refuse is not sent: the field names it in an alert.
  const query = { ...usageViewParams(view), ...(isTag(tagView.tag) && { tag: tagView.tag }) };
  const overview = useUsageOverview(query);

  return (
    <LicensingPage
      title="License usage"
      intro="Installed and in use across all your License Servers, per product, edition and license model."
    >
      <div className="toolbar">
        <UsageViewControls view={view} onChange={setView} />
        <TagField value={tagText} onChange={setTagText} />
        <DownloadCsvLink path="/api/console/usage/overview.csv" query={query} />
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
