import { useId } from 'react';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useUsage } from '../api/get-usage.ts';
import { UsageFigures } from './usage-figures.tsx';
import { usageViewParams, type UsageView } from './usage-range.ts';
import { UsageViewControls } from './usage-view-controls.tsx';

interface LicenseServerUsageProps {
  serverId: string;
  view: UsageView;
  onViewChange: (view: UsageView) => void;
}

export function LicenseServerUsage({ serverId, view, onViewChange }: LicenseServerUsageProps) {
  const headingId = useId();
  const usage = useUsage(serverId, usageViewParams(view));

  return (
    <section className="stack" aria-labelledby={headingId}>
      <div className="toolbar">
        <h2 id={headingId} className="toolbar-title">
          Usage
        </h2>
        <UsageViewControls view={view} onChange={onViewChange} />
        <DownloadCsvLink path={`/api/console/license-servers/${serverId}/usage.csv`} query={usageViewParams(view)} />
      </div>
      {usage.isPending ? (
        <Loading label="Loading usage…" />
      ) : usage.isError ? (
        <ErrorState title="The usage could not be loaded." error={usage.error} onRetry={() => void usage.refetch()} />
      ) : (
        <UsageFigures data={usage.data} />
      )}
    </section>
  );
}
