import type { TUsageSeries } from '@reg/contracts/usage-api';
import type { CsvColumn } from '../../lib/csv.ts';

interface UsagePointRow {
  day: string;
  productCode: string;
  edition: string;
  licenseModel: string;
  installed: number;
  inUse: number;
  peakInUse: number;
}

/** A server's usage and the customer overview alike: a row per point. */
export const USAGE_COLUMNS: CsvColumn<UsagePointRow>[] = (
  ['day', 'productCode', 'edition', 'licenseModel', 'installed', 'inUse', 'peakInUse'] as const
).map((key) => ({ header: key, value: (row) => row[key] }));

/** The points of a usage read, flattened to rows (a series is bounded: at most 400 points per key). */
export function* usagePointRows(usage: Pick<TUsageSeries, 'series'>): Generator<UsagePointRow> {
  for (const { points, ...key } of usage.series) for (const point of points) yield { ...key, ...point };
}
