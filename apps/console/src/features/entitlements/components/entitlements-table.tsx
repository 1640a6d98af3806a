import type { TEntitlement, TEntitlements } from '@reg/contracts/entitlements-api';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { formatNumber } from '../../../lib/format.ts';
import { EntitlementStateBadge, MaintenanceCell } from './entitlement-state.tsx';

const LICENSE_MODELS: Record<TEntitlement['licenseModel'], string> = {
  'user-device': 'User/device',
  concurrent: 'Concurrent',
};

const columnsFor = (asOf: string): Column<TEntitlement>[] => [
  { id: 'product', header: 'Product', rowHeader: true, cell: (row) => row.productCode },
  { id: 'edition', header: 'Edition', cell: (row) => row.edition },
  { id: 'model', header: 'License model', cell: (row) => LICENSE_MODELS[row.licenseModel] },
  { id: 'installed', header: 'Installed', className: 'num', cell: (row) => formatNumber(row.installed) },
  { id: 'in-use', header: 'In use', className: 'num', cell: (row) => formatNumber(row.inUse) },
  { id: 'peak', header: 'Peak (30 days)', className: 'num', cell: (row) => formatNumber(row.peakInUse30d) },
  {
    id: 'expires',
    header: 'Expires',
    className: 'nowrap',
    cell: (row) =>
      row.expiresAt ?? (
        <span className="muted" title="Permanent, or not known">
          None
        </span>
      ),
  },
  {
    id: 'maintenance',
    header: 'Customer Success Services',
    cell: (row) => <MaintenanceCell item={row} asOf={asOf} />,
  },
  { id: 'servers', header: 'Servers', className: 'num', cell: (row) => formatNumber(row.servers) },
  { id: 'state', header: 'State', className: 'nowrap', cell: (row) => <EntitlementStateBadge item={row} /> },
];

interface Query {
  data?: TEntitlements | undefined;
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  error: unknown;
  refetch: () => unknown;
}

/** One row per product key held by the customer's License Servers, most urgent first (the API's order). */
export function EntitlementsTable({ query }: { query: Query }) {
  const asOf = query.data?.asOf ?? new Date().toISOString().slice(0, 10);
  return (
    <DataTable
      caption="Entitlements"
      columns={columnsFor(asOf)}
      rows={query.data?.items ?? []}
      rowKey={(row) => `${row.productCode}\u0000${row.edition}\u0000${row.licenseModel}`}
      query={query}
      loadingLabel="Loading entitlements…"
      errorTitle="The entitlements could not be loaded."
      empty={
        <EmptyState title="No entitlements yet">
          Entitlements appear once a License Server reports: each product key it reported within the last 30 days, with
          its licenses and dates.
        </EmptyState>
      }
    />
  );
}
