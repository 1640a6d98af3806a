import { REGISTRATION_STATUSES, type TRegistrationStatus } from '@reg/contracts/console-api';
import { useId } from 'react';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { SearchField } from '../../../components/ui/search-field.tsx';
import { STATUS_LABELS } from '../../../components/ui/status-badge.tsx';
import { useUrlSearchText, useUrlView } from '../../../hooks/use-url-view.ts';
import type { RegistrationFilters, RegistrationSort } from '../api/get-registrations.ts';

/** The view's URL names and values are the API's (`?query=&status=&sort=&order=`). */
const DEFAULT_VIEW = { query: '', status: '', sort: 'serverName', order: 'asc' } as const;

const SORTS: { value: `${RegistrationSort}:${'asc' | 'desc'}`; label: string }[] = [
  { value: 'serverName:asc', label: 'Server name, A to Z' },
  { value: 'serverName:desc', label: 'Server name, Z to A' },
  { value: 'lastContactAt:desc', label: 'Last contact, newest first' },
  { value: 'lastContactAt:asc', label: 'Last contact, oldest first' },
  { value: 'registeredAt:desc', label: 'Registered, newest first' },
  { value: 'registeredAt:asc', label: 'Registered, oldest first' },
];

const isStatus = (value: string): value is TRegistrationStatus =>
  (REGISTRATION_STATUSES as readonly string[]).includes(value);

/** The filters as the URL has them; a value the API would refuse falls back to its default. */
export function useRegistrationView() {
  const [view, setView] = useUrlView(DEFAULT_VIEW);
  const sort = SORTS.find((option) => option.value === `${view.sort}:${view.order}`)?.value ?? 'serverName:asc';
  const [sortKey, order] = sort.split(':') as [RegistrationSort, 'asc' | 'desc'];
  const filters: RegistrationFilters = {
    query: view.query,
    status: isStatus(view.status) ? view.status : '',
    sort: sortKey,
    order,
  };
  return { filters, setView };
}

export function RegistrationsToolbar({
  filters,
  setView,
}: {
  filters: RegistrationFilters;
  setView: ReturnType<typeof useRegistrationView>['setView'];
}) {
  const statusId = useId();
  const sortId = useId();
  // Typing replaces the history entry; choosing a filter or a sort adds one, so Back undoes it.
  const [search, setSearch] = useUrlSearchText(filters.query, (query) => setView({ query }, { replace: true }));
  return (
    <div className="toolbar">
      <SearchField value={search} onChange={setSearch} placeholder="Server name or host" />
      <div className="field field-inline">
        <label htmlFor={statusId}>Status</label>
        <select id={statusId} value={filters.status} onChange={(event) => setView({ status: event.target.value })}>
          <option value="">All</option>
          {REGISTRATION_STATUSES.map((value) => (
            <option key={value} value={value}>
              {STATUS_LABELS[value]}
            </option>
          ))}
        </select>
      </div>
      <div className="field field-inline">
        <label htmlFor={sortId}>Sort</label>
        <select
          id={sortId}
          value={`${filters.sort}:${filters.order}`}
          onChange={(event) => {
            const [sort, order] = event.target.value.split(':') as [string, string];
            setView({ sort, order });
          }}
        >
          {SORTS.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <DownloadCsvLink
        path="/api/console/registrations.csv"
        query={{ query: filters.query, status: filters.status, sort: filters.sort, order: filters.order }}
      />
    </div>
  );
}
