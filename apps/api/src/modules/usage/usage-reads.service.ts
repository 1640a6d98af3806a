import {
  MAX_POINTS_PER_KEY,
  MAX_RANGE_DAYS,
  type TGranularity,
  type TLicenseServer,
  type TUsageOverview,
  type TUsageSeries,
} from '@reg/contracts/usage-api';
import type { Db } from '@reg/db/client';
import type { Clock } from '../../lib/clock.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { createUsageReadsRepository, type PointRow, type Scope, type SummaryRow } from './usage-reads.repository.ts';
import { completeSeries, periodsOf } from './usage-completeness.ts';
import { createUsageCompletenessRepository } from './usage-completeness.repository.ts';

const DAY_MS = 24 * 3600_000;
/** The first day a usage read may name. */
const FIRST_DAY = '1970-01-01';
/** Who asks: only the customer matters (an admin's session or an API client alike). */
type Asker = { customerId: string };
const dayOf = (date: Date) => date.toISOString().slice(0, 10);

interface Range {
  from?: string | undefined;
  to?: string | undefined;
  granularity?: TGranularity | undefined;
}
/** The overview's query: a range, and a tag to read only the servers carrying it. */
type OverviewQuery = Range & { tag?: string | undefined };

/** Series grouped per product key, at most MAX_POINTS_PER_KEY each (the newest ones). */
function groupSeries(rows: PointRow[]): TUsageSeries['series'] {
  const series = new Map<string, TUsageSeries['series'][number]>();
  for (const row of rows) {
    const key = `${row.product_code}\u0000${row.edition}\u0000${row.license_model}`;
    const entry = series.get(key) ?? {
      productCode: row.product_code,
      edition: row.edition,
      licenseModel: row.license_model,
      points: [],
    };
    entry.points.push({
      day: row.day,
      installed: row.installed,
      inUse: row.in_use,
      peakInUse: row.peak_in_use,
      late: false,
    });
    series.set(key, entry);
  }
  for (const entry of series.values())
    if (entry.points.length > MAX_POINTS_PER_KEY) entry.points = entry.points.slice(-MAX_POINTS_PER_KEY);
  return [...series.values()];
}

const summaryItem = (row: SummaryRow): TUsageSeries['summary'][number] => ({
  productCode: row.product_code,
  edition: row.edition,
  licenseModel: row.license_model,
  installed: row.installed,
  inUse: row.in_use,
  peakInUse: row.peak_in_use,
  peakDay: row.peak_day,
  peakThisMonth: row.peak_this_month,
  peakAllTime: row.peak_all_time,
  utilization: row.installed === 0 ? null : row.in_use / row.installed,
  overdraft: row.overdraft,
});

export function createUsageReads({
  db,
  clock,
  notReportingAfterHours,
}: {
  db: Db;
  clock: Clock;
  notReportingAfterHours: number;
}) {
  const repository = createUsageReadsRepository(db);
  const completeness = createUsageCompletenessRepository(db);

  /** Days (UTC), default the last 30 days to today; at most MAX_RANGE_DAYS apart. */
  function resolveRange(range: Range) {
    for (const field of ['from', 'to'] as const) {
      const day = range[field];
      // ISO 8601 has a year 0000 and PostgreSQL's dates don't (a 500 before): days before
      // FIRST_DAY hold no usage anyway.
      if (day !== undefined && day < FIRST_DAY)
        throw new AppError('invalid_request', `"${field}" must be ${FIRST_DAY} or later.`, {
          details: [{ path: [field], message: `before ${FIRST_DAY}` }],
        });
    }
    const to = range.to ?? dayOf(clock.now());
    const from = range.from ?? dayOf(new Date(Date.parse(to) - 29 * DAY_MS));
    if (from > to)
      throw new AppError('invalid_request', '"from" must not be after "to".', {
        details: [{ path: ['from'], message: 'after to' }],
      });
    if (Date.parse(to) - Date.parse(from) > MAX_RANGE_DAYS * DAY_MS)
      throw new AppError('invalid_request', `"from" and "to" may be at most ${MAX_RANGE_DAYS} days apart.`, {
        details: [{ path: ['to'], message: `more than ${MAX_RANGE_DAYS} days after from` }],
      });
    return { from, to, granularity: range.granularity ?? 'day' };
  }

  async function insights(scope: Scope, range: Range): Promise<TUsageSeries> {
    const { from, to, granularity } = resolveRange(range);
    const monthStart = `${dayOf(clock.now()).slice(0, 7)}-01`;
    const [points, summary, late] = await Promise.all([
      repository.series(scope, from, to, granularity),
      repository.summary(scope, from, to, monthStart),
      completeness.lateDays(scope, from, to),
    ]);
    const series = completeSeries(groupSeries(points), periodsOf(from, to, granularity), late, granularity);
    for (const entry of series)
      if (entry.points.length > MAX_POINTS_PER_KEY) entry.points = entry.points.slice(-MAX_POINTS_PER_KEY);
    return { from, to, granularity, series, summary: summary.map(summaryItem) };
  }

  /** GET /license-servers/:id/usage: one server's series and summary. */
  async function serverUsage(admin: Asker, id: string, range: Range): Promise<TUsageSeries> {
    if (!(await repository.ownServer(admin.customerId, id))) throw notFound();
    return insights({ customerId: admin.customerId, licenseServerId: id }, range);
  }

  /**
   * GET /usage/overview: the same summed over every license server of the customer (or those
   * whose active registration carries `tag`), and those servers by state.
   */
  async function overview(admin: Asker, { tag, ...range }: OverviewQuery): Promise<TUsageOverview> {
    const notReportingBefore = new Date(clock.now().getTime() - notReportingAfterHours * 3600_000);
    const { from, to } = resolveRange(range);
    const [body, counts, coverage] = await Promise.all([
      insights({ customerId: admin.customerId, ...(tag !== undefined && { tag }) }, range),
      tag === undefined
        ? repository.serverCounts(admin.customerId, notReportingBefore)
        : repository.taggedServerCounts(admin.customerId, tag, notReportingBefore),
      completeness.coverage(admin.customerId, tag, from, to, clock.now()),
    ]);
    return {
      ...body,
      coverage,
      servers: {
        total: counts.total,
        reporting: counts.reporting,
        notReporting: counts.not_reporting,
        neverContacted: counts.never_contacted,
      },
    };
  }

  /** For the License Servers list: each server's latest values per product key, and whether it is in overdraft. */
  async function latestOf(serverIds: string[]) {
    const result = new Map<string, { latest: TLicenseServer['latest']; overdraft: boolean }>();
    for (const row of await repository.latestOf(serverIds)) {
      const entry = result.get(row.license_server_id) ?? { latest: [], overdraft: false };
      entry.latest.push({
        productCode: row.product_code,
        edition: row.edition,
        licenseModel: row.license_model,
        installed: row.installed,
        inUse: row.in_use,
        periodStart: row.last_period_start.toISOString(),
      });
      if (row.day_in_use > row.day_installed) entry.overdraft = true;
      result.set(row.license_server_id, entry);
    }
    return result;
  }

  return { serverUsage, overview, latestOf };
}
