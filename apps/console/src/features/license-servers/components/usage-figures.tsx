import type { TCoverageDay, TUsageSeries } from '@reg/contracts/usage-api';
import { lazy, Suspense, useMemo } from 'react';
import { ErrorBoundary } from '../../../components/ui/error-boundary.tsx';
import { Loading } from '../../../components/ui/states.tsx';
import { UsageSummary } from './usage-summary.tsx';
import { UsageTable } from './usage-table.tsx';

const UsageChart = lazy(() => import('./usage-chart.tsx'));

/** What a usage answer shows: the summary per product key, the chart, and the same data as a table. */
export function UsageFigures({ data }: { data: TUsageSeries & { coverage?: TCoverageDay[] } }) {
  const hasData = data.series.some((series) => series.points.length > 0);
  const markedDays = useMemo(
    () => (data.coverage ?? []).filter((day) => day.reported < day.registered).map((day) => day.day),
    [data.coverage],
  );
  if (!hasData) return <p className="empty-inline">No usage data in this range.</p>;
  return (
    <>
      <UsageSummary items={data.summary} />
      <p className="muted small">
        From {data.from} to {data.to} (UTC), {data.granularity === 'month' ? 'highest day of each month' : 'per day'}.
        Solid lines: installed; dashed lines: in use.
      </p>
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
            <UsageChart
              data={data}
              from={data.from}
              to={data.to}
              granularity={data.granularity}
              markedDays={markedDays}
            />
          </Suspense>
        </ErrorBoundary>
      </div>
      <UsageTable data={data} />
    </>
  );
}
