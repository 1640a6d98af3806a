import type { TUsageSeries } from '@reg/contracts/usage-api';
import type { CsvColumn } from '../../lib/csv.ts';

interface UsagePointRow {
  day: string;
  productCode: string;
  edition: string;
  licenseModel: string;
  installed: number | null;
  inUse: number | null;
  peakInUse: number | null;
  late: boolean | null;
}

/** A server's usage and the customer overview alike: a row per point; a day without a report has empty cells. */
export const USAGE_COLUMNS: CsvColumn<UsagePointRow>[] = (
  ['day', 'productCode', 'edition', 'licenseModel', 'installed', 'inUse', 'peakInUse', 'late'] as const
).map((key) => ({ header: key, value: (row) => (typeof row[key] === 'boolean' ? String(row[key]) : row[key]) }));

/** The points of a usage read, flattened to rows (a series is bounded: at most 400 points per key). */
export function* usagePointRows(usage: Pick<TUsageSeries, 'series'>): Generator<UsagePointRow> {
  for (const { points, ...key } of usage.series) for (const point of points) yield { ...key, ...point };
}
