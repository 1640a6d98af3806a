import type { TApiClient } from '@reg/contracts/api-clients-api';
import { useId, useState } from 'react';
import { EmptyState, ErrorState, ListStates } from '../../../components/ui/states.tsx';
import { formatDate, formatDateTime, formatRelative } from '../../../lib/format.ts';
import { useApiClients } from '../api/get-api-clients.ts';
import { DeleteClientDialog } from './delete-client-dialog.tsx';

interface ApiClientsListProps {
  onMessage: (message: string) => void;
}

export function ApiClientsList({ onMessage }: ApiClientsListProps) {
  const rowId = useId();
  const clients = useApiClients();
  const [deleting, setDeleting] = useState<TApiClient | null>(null);
  const items = clients.data?.items ?? [];

  const body = (
    <ListStates
      query={clients}
      count={items.length}
      loadingLabel="Loading API clients…"
      errorTitle="The API clients could not be loaded."
      empty={
        <EmptyState title="No API clients yet">
          <p>
            Click <strong>Create client</strong> to get a client ID and secret for a script.
          </p>
        </EmptyState>
      }
    >
      <div className="table-wrap">
        <table className="table" aria-busy={clients.isFetching || undefined}>
          <caption className="visually-hidden">API clients</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Client ID</th>
              <th scope="col">Created</th>
              <th scope="col">Created by</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((client) => {
              const nameId = `${rowId}-${client.id}`;
              return (
                <tr key={client.id}>
                  <th scope="row" className="cell-name" id={nameId}>
                    <span className="truncate" title={client.name}>
                      {client.name}
                    </span>
                  </th>
                  <td className="nowrap">
                    <code>{client.id}</code>
                  </td>
                  <td className="nowrap">
                    <time dateTime={client.createdAt} title={formatDateTime(client.createdAt)}>
                      {formatDate(client.createdAt)}
                    </time>
                  </td>
                  <td className="cell-email">
                    <span className="truncate" title={client.createdBy}>
                      {client.createdBy}
                    </span>
                  </td>
                  <td className="nowrap">
                    {client.lastUsedAt ? (
                      <time dateTime={client.lastUsedAt} title={formatDateTime(client.lastUsedAt)}>
                        {formatRelative(client.lastUsedAt)}
                      </time>
                    ) : (
                      'Never'
                    )}
                  </td>
                  <td className="cell-actions">
                    {/* The name stays "Delete"; the row's client name describes which one. */}
                    <button
                      type="button"
                      className="button button-small button-danger-outline"
                      aria-describedby={nameId}
                      onClick={() => setDeleting(client)}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </ListStates>
  );

  return (
    <>
      {clients.isError && items.length > 0 && (
        <ErrorState title="The list could not be refreshed." error={clients.error} />
      )}
      {body}
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
