import type { TRegistration } from '@reg/contracts/console-api';
import { actionsColumn } from '../../../components/ui/actions-menu.tsx';
import type { Column } from '../../../components/ui/data-table.tsx';
import { timeColumn } from '../../../components/ui/relative-time.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { Truncate } from '../../../components/ui/truncate.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { removalText } from './removal-words.ts';

/**
 * The Product Registrations table's columns; `onRemove` opens the confirmation for a row and
 * `onEditTags` the Edit tags dialog, and without them (a read-only admin) there is no actions column.
 */
export function registrationColumns(
  onRemove: ((registration: TRegistration) => void) | null,
  onEditTags?: (registration: TRegistration) => void,
): Column<TRegistration>[] {
  const columns: Column<TRegistration>[] = [
    {
      id: 'server',
      header: 'Server name',
      rowHeader: true,
      className: 'cell-name',
      cell: (registration) => (
        <>
          <Truncate text={registration.serverName} />
          <Truncate text={registration.hostname} className="muted small" />
        </>
      ),
    },
    // A product name may wrap (at its hyphen): at 1280 px the whole row, Tags and actions included, fits.
    { id: 'product', header: 'Product', className: 'cell-product', cell: (registration) => registration.product },
    { id: 'version', header: 'Version', className: 'nowrap', cell: (registration) => registration.productVersion },
    timeColumn('registered', 'Registered', (registration) => registration.registeredAt, 'date'),
    {
      id: 'by',
      header: 'Registered by',
      className: 'cell-email cell-email-narrow',
      cell: (registration) => (
        <>
          <Truncate text={registration.registeredBy.email} />
          {/* A key's registration names its creator: the key says how the server really came in. */}
          {registration.registrationKey && (
            <Truncate text={`Key: ${registration.registrationKey.description}`} className="muted small" />
          )}
        </>
      ),
    },
    timeColumn('contact', 'Last contact', (registration) => registration.lastContactAt),
    {
      id: 'status',
      header: 'Status',
      cell: ({ status, scheduledRemovalAt, duplicate }) => (
        <>
          <StatusBadge status={status} />
          {scheduledRemovalAt && (
            <span className="removal-note muted small" title={formatDateTime(scheduledRemovalAt)}>
              {removalText(scheduledRemovalAt)}
            </span>
          )}
          {/* In words, never by colour alone: what happened and the fix. */}
          {duplicate && (
            <span className="removal-note small">
              <strong>Duplicate</strong>: another machine uses this server's credential. On the copy, run{' '}
              <code>license-server register --reset</code>.
            </span>
          )}
        </>
      ),
    },
    {
      id: 'tags',
      header: 'Tags',
      // Every tag shown, one line each if need be: a tag cut short is a tag the admin can't read.
      className: 'cell-tags small',
      cell: (registration) => registration.tags.join(' '),
    },
  ];
  if (!onRemove) return columns;
  return [
    ...columns,
    actionsColumn(
      (registration) => registration.serverName,
      (registration) => [
        ...(onEditTags ? [{ label: 'Edit tags', onSelect: () => onEditTags(registration) }] : []),
        { label: 'Remove registration', danger: true, onSelect: () => onRemove(registration) },
      ],
    ),
  ];
}
