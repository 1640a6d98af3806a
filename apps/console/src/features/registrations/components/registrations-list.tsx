import type { TRegistration, TRegistrationStatus } from '@reg/contracts/console-api';
import { lazy, Suspense, useId, useMemo, useState } from 'react';
import { DataTable } from '../../../components/ui/data-table.tsx';
import { DownloadCsvLink } from '../../../components/ui/download-csv-link.tsx';
import { SearchField } from '../../../components/ui/search-field.tsx';
import { REGISTRATION_STATUSES, STATUS_LABELS } from '../../../components/ui/status-badge.tsx';
import { useDebouncedValue } from '../../../hooks/use-debounced-value.ts';
import { useRegistrations } from '../api/get-registrations.ts';
import { registrationColumns } from './registration-columns.tsx';
import { RegistrationsEmpty } from './registrations-empty.tsx';

// Loaded on the first "Remove registration": the page itself loads less (npm run bench).
const RemoveRegistrationDialog = lazy(async () => ({
  default: (await import('./remove-registration-dialog.tsx')).RemoveRegistrationDialog,
}));

export function RegistrationsList({ onMessage }: { onMessage: (message: string) => void }) {
  const statusId = useId();
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<TRegistrationStatus | ''>('');
  const [removing, setRemoving] = useState<TRegistration | null>(null);
  const query = useDebouncedValue(search, 300);
  const registrations = useRegistrations({ query, status });
  const columns = useMemo(() => registrationColumns(setRemoving), []);
  const items = registrations.data?.pages.flatMap((page) => page.items) ?? [];

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
            {REGISTRATION_STATUSES.map((value) => (
              <option key={value} value={value}>
                {STATUS_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
        <DownloadCsvLink path="/api/console/registrations.csv" query={{ query: query.trim(), status }} />
      </div>
      <DataTable
        caption="Product registrations"
        columns={columns}
        rows={items}
        rowKey={(registration) => registration.id}
        query={registrations}
        loadingLabel="Loading registrations…"
        errorTitle="The registrations could not be loaded."
        empty={<RegistrationsEmpty filtered={query.trim() !== '' || status !== ''} />}
      />
      {removing && (
        <Suspense fallback={null}>
          <RemoveRegistrationDialog
            registration={removing}
            onClose={() => setRemoving(null)}
            onRemoved={(message) => {
              setRemoving(null);
              onMessage(message);
            }}
          />
        </Suspense>
      )}
    </>
  );
}
