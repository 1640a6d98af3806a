import type { TRegistration, TRegistrationStatus } from '@reg/contracts/console-api';
import { useId, useState } from 'react';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { SearchField } from '../../../components/ui/search-field.tsx';
import { EmptyState, ErrorState, ListStates } from '../../../components/ui/states.tsx';
import { useDebouncedValue } from '../../../hooks/use-debounced-value.ts';
import { formatDate, formatDateTime, formatRelative } from '../../../lib/format.ts';
import { useRegistrations } from '../api/get-registrations.ts';
import { RegistrationActionsMenu } from './registration-actions-menu.tsx';
import { RegistrationStatus, STATUS_LABELS } from './registration-status.tsx';
import { RemoveRegistrationDialog } from './remove-registration-dialog.tsx';
import { LoadMore } from '../../../components/ui/load-more.tsx';

function FirstRegistrationHelp() {
  return (
    <EmptyState title="No products registered yet">
      <p>To register your first product:</p>
      <ol>
        <li>
          On the License Server, open <strong>Licensing Manager &gt; Settings &gt; Usage and Statistics</strong> and
          click <strong>Register</strong>, or run <code>npm run license-server -- register --cloud &lt;url&gt;</code>.
        </li>
        <li>The License Server shows a registration code such as 7KQ4-MZ2P.</li>
        <li>
          Here, click <strong>Register</strong> and enter the code.
        </li>
      </ol>
    </EmptyState>
  );
}

export function RegistrationsList({ onMessage }: { onMessage: (message: string) => void }) {
  const statusId = useId();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<TRegistrationStatus | ''>('');
  const [removing, setRemoving] = useState<TRegistration | null>(null);
  const query = useDebouncedValue(search, 300);
  const registrations = useRegistrations({ query, status });

  const items = registrations.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = query.trim() !== '' || status !== '';

  const body = (
    <ListStates
      query={registrations}
      count={items.length}
      loadingLabel="Loading registrations…"
      errorTitle="The registrations could not be loaded."
      empty={
        filtered ? <p className="muted">No registrations match the search or status.</p> : <FirstRegistrationHelp />
      }
    >
      <div className="table-wrap">
        <table className="table" aria-busy={registrations.isFetching || undefined}>
          <caption className="visually-hidden">Product registrations</caption>
          <thead>
            <tr>
              <th scope="col">Server name</th>
              <th scope="col">Product</th>
              <th scope="col">Version</th>
              <th scope="col">Registered</th>
              <th scope="col">Registered by</th>
              <th scope="col">Last contact</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((registration) => (
              <tr key={registration.id}>
                <th scope="row" className="cell-name">
                  <span className="truncate" title={registration.serverName}>
                    {registration.serverName}
                  </span>
                  <span className="truncate muted small" title={registration.hostname}>
                    {registration.hostname}
                  </span>
                </th>
                <td className="nowrap">{registration.product}</td>
                <td className="nowrap">{registration.productVersion}</td>
                <td className="nowrap">
                  <time dateTime={registration.registeredAt} title={formatDateTime(registration.registeredAt)}>
                    {formatDate(registration.registeredAt)}
                  </time>
                </td>
                <td className="cell-email">
                  <span className="truncate" title={registration.registeredBy.email}>
                    {registration.registeredBy.email}
                  </span>
                </td>
                <td className="nowrap">
                  {registration.lastContactAt ? (
                    <time dateTime={registration.lastContactAt} title={formatDateTime(registration.lastContactAt)}>
                      {formatRelative(registration.lastContactAt)}
                    </time>
                  ) : (
                    'Never'
                  )}
                </td>
                <td>
                  <RegistrationStatus status={registration.status} />
                </td>
                <td className="cell-actions">
                  <RegistrationActionsMenu registration={registration} onRemove={setRemoving} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </ListStates>
  );

  return (
    <>
      <div className="toolbar">
        <SearchField value={search} onChange={setSearch} placeholder="Server name or host" />
        <div className="field field-inline">
          <label htmlFor={statusId}>Status</label>
          <select
            id={statusId}
            value={status}
            onChange={(event) => setStatus(event.target.value as TRegistrationStatus | '')}
          >
            <option value="">All</option>
            {(Object.keys(STATUS_LABELS) as TRegistrationStatus[]).map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <DownloadCsvLink path="/api/console/registrations.csv" query={{ query: query.trim(), status }} />
      </div>
      {registrations.isError && items.length > 0 && (
        <ErrorState title="The list could not be refreshed." error={registrations.error} />
      )}
      {body}
      <LoadMore query={registrations} />
      <RemoveRegistrationDialog
        registration={removing}
        onClose={() => setRemoving(null)}
        onRemoved={(message) => {
          setRemoving(null);
          onMessage(message);
        }}
      />
    </>
  );
}
