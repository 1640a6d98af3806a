import { formatDate, formatDateTime, formatRelative } from '../../lib/format.ts';
import type { Column } from './data-table.tsx';

const FORMATS = { relative: formatRelative, date: formatDate, 'date-time': formatDateTime } as const;

interface RelativeTimeProps {
  /** An ISO timestamp, or null for "never". */
  value: string | null;
  /** How it reads: "5 minutes ago" (default), a date, or a date and time. The exact time is always in the tooltip. */
  format?: keyof typeof FORMATS;
  /** What a missing time reads as. */
  never?: string;
}

/** A point in time as a <time> element: machine-readable value, readable text, the absolute time on hover. */
export function RelativeTime({ value, format = 'relative', never = 'Never' }: RelativeTimeProps) {
  if (value === null) return <>{never}</>;
  return (
    <time dateTime={value} title={formatDateTime(value)}>
      {FORMATS[format](value)}
    </time>
  );
}

/** A table column of one point in time per row (see RelativeTime for the formats). */
export function timeColumn<Row>(
  id: string,
  header: string,
  valueOf: (row: Row) => string | null,
  format: RelativeTimeProps['format'] = 'relative',
): Column<Row> {
  return { id, header, className: 'nowrap', cell: (row) => <RelativeTime value={valueOf(row)} format={format} /> };
}
