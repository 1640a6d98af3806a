import { lazy, Suspense, useId } from 'react';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { ErrorBoundary } from '../../../components/ui/error-boundary.tsx';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useUsage } from '../api/get-usage.ts';
import { rangeQuery, USAGE_RANGES, type UsageRangeDays } from './usage-range.ts';
import { UsageTable } from './usage-table.tsx';

const UsageChart = lazy(() => import('./usage-chart.tsx'));

interface LicenseServerUsageProps {
  serverId: string;
  days: UsageRangeDays;
  onDaysChange: (days: UsageRangeDays) => void;
}

export function LicenseServerUsage({ serverId, days, onDaysChange }: LicenseServerUsageProps) {
  const rangeId = useId();
  const range = rangeQuery(days);
  const usage = useUsage(serverId, range);
  const hasData = usage.data?.series.some((series) => series.points.length > 0) ?? false;

  return (
    <section className="stack" aria-labelledby={`${rangeId}-heading`}>
      <div className="toolbar">
        <h2 id={`${rangeId}-heading`} className="toolbar-title">
          Usage
        </h2>
        <div className="field field-inline">
          <label htmlFor={rangeId}>Range</label>
          <select
            id={rangeId}
            value={days}
            onChange={(event) => onDaysChange(Number(event.target.value) as UsageRangeDays)}
          >
            {USAGE_RANGES.map((option) => (
              <option key={option.days} value={option.days}>
                {option.label}
              </option>
            ))}
          </select>
        </div>
        <DownloadCsvLink path={`/api/console/license-servers/${serverId}/usage.csv`} query={range} />
      </div>
      <p className="muted small">
        From {range.from} to {range.to} (UTC). Solid lines: installed; dashed lines: in use.
      </p>
      {usage.isPending ? (
        <Loading label="Loading usage…" />
      ) : usage.isError ? (
        <ErrorState title="The usage could not be loaded." error={usage.error} onRetry={() => void usage.refetch()} />
      ) : !hasData ? (
        <p className="empty-inline">No usage data in this range.</p>
      ) : (
        <>
          <div className="chart">
            <ErrorBoundary
              fallback={
                <div role="alert" className="notice notice-error">
                  The chart could not be loaded; the console may have been updated.{' '}
                  <button type="button" className="button-link" onClick={() => window.location.reload()}>
                    Reload the page
                  </button>
                </div>
              }
            >
              <Suspense fallback={<Loading label="Loading chart…" />}>
                <UsageChart data={usage.data} from={range.from} to={range.to} />
              </Suspense>
            </ErrorBoundary>
          </div>
          <UsageTable data={usage.data} />
        </>
      )}
    </section>
  );
}
