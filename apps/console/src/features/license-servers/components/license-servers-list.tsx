import { useId, useState } from 'react';
import { Link } from 'react-router';
import { SearchField } from '../../../components/ui/search-field.tsx';
import { EmptyState, ErrorState, ListStates } from '../../../components/ui/states.tsx';
import { paths } from '../../../config/paths.ts';
import { useDebouncedValue } from '../../../hooks/use-debounced-value.ts';
import { formatDateTime, formatRelative } from '../../../lib/format.ts';
import { useLicenseServers } from '../api/get-license-servers.ts';
import { DeleteDataDialog, type DeleteTarget } from './delete-data-dialog.tsx';
import { LatestUsage } from './latest-usage.tsx';
import { RegistrationState } from './registration-state.tsx';
import { LoadMore } from '../../../components/ui/load-more.tsx';

export function LicenseServersList({ onMessage }: { onMessage: (message: string) => void }) {
  const idPrefix = useId();
  const [search, setSearch] = useState('');
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const query = useDebouncedValue(search, 300);
  const servers = useLicenseServers(query);
  const items = servers.data?.pages.flatMap((page) => page.items) ?? [];

  const body = (
    <ListStates
      query={servers}
      count={items.length}
      loadingLabel="Loading license servers…"
      errorTitle="The license servers could not be loaded."
      empty={
        query.trim() !== '' ? (
          <p className="muted">No license servers match the search.</p>
        ) : (
          <EmptyState title="No license servers yet">
            <p>
              A License Server shows up here once it is registered (Identity and Access Management &gt; API Access &gt;
              Product Registrations) and has uploaded its first usage data. Servers upload once a day.
            </p>
            <p>
              <Link to={paths.iam.apiAccess.productRegistrations.getHref()}>Register a License Server</Link>
            </p>
          </EmptyState>
        )
      }
    >
      <div className="table-wrap">
        <table className="table" aria-busy={servers.isFetching || undefined}>
          <caption className="visually-hidden">License servers</caption>
          <thead>
            <tr>
              <th scope="col">Server name</th>
              <th scope="col">Registration</th>
              <th scope="col">Last upload</th>
              <th scope="col">Latest usage</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((server) => {
              const nameId = `${idPrefix}-${server.id}`;
              return (
                <tr key={server.id}>
                  <th scope="row" className="cell-name">
                    <Link
                      id={nameId}
                      className="truncate"
                      title={server.serverName}
                      to={paths.licensing.licenseServer.getHref(server.id)}
                    >
                      {server.serverName}
                    </Link>
                    <span className="truncate muted small" title={server.hostname}>
                      {server.hostname}
                    </span>
                  </th>
                  <td>
                    <RegistrationState registration={server.registration} />
                  </td>
                  <td>
                    {server.lastUploadAt ? (
                      <time dateTime={server.lastUploadAt} title={formatDateTime(server.lastUploadAt)}>
                        {formatRelative(server.lastUploadAt)}
                      </time>
                    ) : (
                      'Never'
                    )}
                  </td>
                  <td>
                    <LatestUsage latest={server.latest} />
                    {server.overdraft ? <strong className="overdraft-word">Overdraft</strong> : null}
                  </td>
                  <td className="cell-actions">
                    <button
                      type="button"
                      className="button button-small"
                      aria-describedby={nameId}
                      onClick={() => setDeleting({ id: server.id, serverName: server.serverName })}
                    >
                      Delete data
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
      <div className="toolbar">
        <SearchField value={search} onChange={setSearch} placeholder="Server name or host" />
      </div>
      {servers.isError && items.length > 0 && (
        <ErrorState title="The list could not be refreshed." error={servers.error} />
      )}
      {body}
      <LoadMore query={servers} />
      <DeleteDataDialog
        server={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={(message) => {
          setDeleting(null);
          onMessage(message);
        }}
      />
    </>
  );
}
