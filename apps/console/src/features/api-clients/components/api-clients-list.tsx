import type { TApiClient } from '@reg/contracts/api-clients-api';
import { useId, useState } from 'react';
import { buttonColumn, DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { timeColumn } from '../../../components/ui/relative-time.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { Truncate } from '../../../components/ui/truncate.tsx';
import { useCanChange } from '../../auth/use-can-change.ts';
import { useApiClients } from '../api/get-api-clients.ts';
import { DeleteClientDialog } from './delete-client-dialog.tsx';

function NoClients() {
  return (
    <EmptyState title="No API clients yet">
      <p>
        Click <strong>Create client</strong> to get a client ID and secret for a script.
      </p>
    </EmptyState>
  );
}

interface ApiClientsListProps {
  onMessage: (message: string) => void;
}

export function ApiClientsList({ onMessage }: ApiClientsListProps) {
  const rowId = useId();
  const clients = useApiClients();
  const canChange = useCanChange();
  const [deleting, setDeleting] = useState<TApiClient | null>(null);
  const nameId = (client: TApiClient) => `${rowId}-${client.id}`;

  const columns: Column<TApiClient>[] = [
    {
      id: 'name',
      header: 'Name',
      rowHeader: true,
      className: 'cell-name',
      cell: (client) => <Truncate text={client.name} id={nameId(client)} />,
    },
    { id: 'id', header: 'Client ID', className: 'nowrap', cell: (client) => <code>{client.id}</code> },
    timeColumn('created', 'Created', (client) => client.createdAt, 'date'),
    {
      id: 'by',
      header: 'Created by',
      className: 'cell-email',
      cell: (client) => <Truncate text={client.createdBy} />,
    },
    timeColumn('used', 'Last used', (client) => client.lastUsedAt),
  ];
  if (canChange) {
    columns.push(
      buttonColumn({
        label: 'Delete',
        danger: true,
        describedBy: nameId,
        onClick: setDeleting,
      }),
    );
  }

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
        empty={<NoClients />}
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
