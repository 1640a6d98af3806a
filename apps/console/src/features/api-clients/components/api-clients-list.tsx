import type { TApiClient } from '@reg/contracts/api-clients-api';
import { useId, useState } from 'react';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { RelativeTime } from '../../../components/ui/relative-time.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { useApiClients } from '../api/get-api-clients.ts';
import { DeleteClientDialog } from './delete-client-dialog.tsx';

interface ApiClientsListProps {
  onMessage: (message: string) => void;
}

export function ApiClientsList({ onMessage }: ApiClientsListProps) {
  const rowId = useId();
  const clients = useApiClients();
  const [deleting, setDeleting] = useState<TApiClient | null>(null);
  const nameId = (client: TApiClient) => `${rowId}-${client.id}`;

  const columns: Column<TApiClient>[] = [
    {
      id: 'name',
      header: 'Name',
      rowHeader: true,
      className: 'cell-name',
      cell: (client) => (
        <span className="truncate" title={client.name} id={nameId(client)}>
          {client.name}
        </span>
      ),
    },
    { id: 'id', header: 'Client ID', className: 'nowrap', cell: (client) => <code>{client.id}</code> },
    {
      id: 'created',
      header: 'Created',
      className: 'nowrap',
      cell: (client) => <RelativeTime value={client.createdAt} format="date" />,
    },
    {
      id: 'by',
      header: 'Created by',
      className: 'cell-email',
      cell: (client) => (
        <span className="truncate" title={client.createdBy}>
          {client.createdBy}
        </span>
      ),
    },
    {
      id: 'used',
      header: 'Last used',
      className: 'nowrap',
      cell: (client) => <RelativeTime value={client.lastUsedAt} />,
    },
    {
      id: 'actions',
      header: 'Actions',
      hideHeader: true,
      className: 'cell-actions',
      // The name stays "Delete"; the row's client name describes which one.
      cell: (client) => (
        <button
          type="button"
          className="button button-small button-danger-outline"
          aria-describedby={nameId(client)}
          onClick={() => setDeleting(client)}
        >
          Delete
        </button>
      ),
    },
  ];

  return (
    <>
      <DataTable
        caption="API clients"
        columns={columns}
        rows={clients.data?.items ?? []}
        rowKey={(client) => client.id}
        query={clients}
        loadingLabel="Loading API clients…"
        errorTitle="The API clients could not be loaded."
        empty={
          <EmptyState title="No API clients yet">
            <p>
              Click <strong>Create client</strong> to get a client ID and secret for a script.
            </p>
          </EmptyState>
        }
      />
      <DeleteClientDialog
        client={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(message) => {
          setDeleting(null);
          onMessage(message);
        }}
      />
    </>
  );
}
