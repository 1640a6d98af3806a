import {
  REGISTRATION_STATUSES,
  type TRegistrationSort,
  type TRegistrationStatus,
  type TSortOrder,
} from '@reg/contracts/console-api';
import { useId } from 'react';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { SearchField } from '../../../components/ui/search-field.tsx';
import { isTag, TagField } from '../../../components/ui/tag-field.tsx';
import { STATUS_LABELS } from '../../../components/ui/status-badge.tsx';
import { useUrlSearchText, useUrlView } from '../../../hooks/use-url-view.ts';
import type { RegistrationFilters } from '../api/get-registrations.ts';

/** The view's URL names and values are the API's (`?query=&status=&tag=&sort=&order=`). */
const DEFAULT_VIEW = { query: '', status: '', tag: '', sort: 'serverName', order: 'asc' } as const;

/** Every sort column of the contract in words, each way (a column missing here does not compile). */
const SORT_LABELS: Record<TRegistrationSort, Record<TSortOrder, string>> = {
  serverName: { asc: 'Server name, A to Z', desc: 'Server name, Z to A' },
  lastContactAt: { desc: 'Last contact, newest first', asc: 'Last contact, oldest first' },
  registeredAt: { desc: 'Registered, newest first', asc: 'Registered, oldest first' },
};
const SORTS = Object.entries(SORT_LABELS).flatMap(([sort, orders]) =>
  Object.entries(orders).map(([order, label]) => ({ value: `${sort}:${order}`, label })),
);

const isStatus = (value: string): value is TRegistrationStatus =>
  (REGISTRATION_STATUSES as readonly string[]).includes(value);

/** The filters as the URL has them; a value the API would refuse falls back to its default. */
export function useRegistrationView() {
  const [view, setView] = useUrlView(DEFAULT_VIEW);
  const sort = SORTS.find((option) => option.value === `${view.sort}:${view.order}`)?.value ?? 'serverName:asc';
  const [sortKey, order] = sort.split(':') as [TRegistrationSort, TSortOrder];
  const filters: RegistrationFilters = {
    query: view.query,
    status: isStatus(view.status) ? view.status : '',
    tag: isTag(view.tag) ? view.tag : '',
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
  const [tagText, setTagText] = useUrlSearchText(filters.tag, (tag) => setView({ tag }, { replace: true }));
  return (
    <div className="toolbar">
      <SearchField value={search} onChange={setSearch} placeholder="Server name or host" />
      <TagField value={tagText} onChange={setTagText} />
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
        query={{
          query: filters.query,
          status: filters.status,
          tag: filters.tag,
          sort: filters.sort,
          order: filters.order,
        }}
      />
    </div>
  );
}
