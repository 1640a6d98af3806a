import type { TRegistration } from '@reg/contracts/console-api';
import type { Column } from '../../../components/ui/data-table.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { RegistrationActionsMenu } from './registration-actions-menu.tsx';

/** The Product Registrations table's columns; `onRemove` opens the confirmation for a row. */
export function registrationColumns(onRemove: (registration: TRegistration) => void): Column<TRegistration>[] {
  return [
    {
      id: 'server',
      header: 'Server name',
      rowHeader: true,
      className: 'cell-name',
      cell: (registration) => (
        <>
          <span className="truncate" title={registration.serverName}>
            {registration.serverName}
          </span>
          <span className="truncate muted small" title={registration.hostname}>
            {registration.hostname}
          </span>
        </>
      ),
    },
    { id: 'product', header: 'Product', className: 'nowrap', cell: (registration) => registration.product },
    { id: 'version', header: 'Version', className: 'nowrap', cell: (registration) => registration.productVersion },
    {
      id: 'registered',
      header: 'Registered',
      className: 'nowrap',
      cell: (registration) => <RelativeTime value={registration.registeredAt} format="date" />,
    },
    {
      id: 'by',
      header: 'Registered by',
      className: 'cell-email',
      cell: (registration) => (
        <span className="truncate" title={registration.registeredBy.email}>
          {registration.registeredBy.email}
        </span>
      ),
    },
    {
      id: 'contact',
      header: 'Last contact',
      className: 'nowrap',
      cell: (registration) => <RelativeTime value={registration.lastContactAt} />,
    },
    { id: 'status', header: 'Status', cell: (registration) => <StatusBadge status={registration.status} /> },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      cell: (registration) => <RegistrationActionsMenu registration={registration} onRemove={onRemove} />,
    },
  ];
}
