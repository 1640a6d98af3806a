import type { TLicenseServer } from '@reg/contracts/usage-api';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { buttonColumn, DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { timeColumn } from '../../../components/ui/relative-time.tsx';
import { SearchField } from '../../../components/ui/search-field.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { Truncate } from '../../../components/ui/truncate.tsx';
import { paths } from '../../../config/paths.ts';
import { useUrlSearchText, useUrlView } from '../../../hooks/use-url-view.ts';
import { useCanChange } from '../../auth/use-can-change.ts';
import { useLicenseServers } from '../api/get-license-servers.ts';
import { DeleteDataDialog } from './delete-data-dialog.tsx';
import { deleteTargetOf, type DeleteTarget } from './delete-target.ts';
import { LatestUsage } from './latest-usage.tsx';

function NoServers() {
  return (
    <EmptyState title="No license servers yet">
      <p>
        A License Server shows up here once it is registered (Identity and Access Management &gt; API Access &gt;
        Product Registrations) or has uploaded usage data. Servers upload once a day.
      </p>
      <p>
        <Link to={paths.iam.apiAccess.productRegistrations.getHref()}>Register a License Server</Link>
      </p>
    </EmptyState>
  );
}

/** The search lives in the URL (`?query=`, as the API calls it). */
const SEARCH_VIEW = { query: '' } as const;

export function LicenseServersList({ onMessage }: { onMessage: (message: string) => void }) {
  const idPrefix = useId();
  const [{ query }, setView] = useUrlView(SEARCH_VIEW);
  const [search, setSearch] = useUrlSearchText(query, (text) => setView({ query: text }, { replace: true }));
  const [deleting, setDeleting] = useState<DeleteTarget | null>(null);
  const canChange = useCanChange();
  const servers = useLicenseServers(query);
  const nameId = (server: TLicenseServer) => `${idPrefix}-${server.id}`;

  const columns: Column<TLicenseServer>[] = [
    {
      id: 'name',
      header: 'Server name',
      rowHeader: true,
      className: 'cell-name',
      cell: (server) => (
        <>
          <Link
            id={nameId(server)}
            className="truncate"
            title={server.serverName}
            to={paths.licensing.licenseServer.getHref(server.id)}
          >
            {server.serverName}
          </Link>
          <Truncate text={server.hostname} className="muted small" />
        </>
      ),
    },
    {
      id: 'registration',
      header: 'Registration',
      cell: (server) => <StatusBadge status={server.registration?.status ?? 'unregistered'} />,
    },
    timeColumn('upload', 'Last upload', (server) => server.lastUploadAt),
    {
      id: 'latest',
      header: 'Latest usage',
      cell: (server) => (
        <>
          <LatestUsage latest={server.latest} />
          {/* Not "Overdraft" (a day's peak) nor "Insufficient" (Entitlements): the newest day's in-use figure. */}
          {server.overdraft ? <strong className="overdraft-word">Over on latest day</strong> : null}
        </>
      ),
    },
  ];
  if (canChange) {
    columns.push(
      buttonColumn({
        label: 'Delete data',
        describedBy: nameId,
        onClick: (server) => setDeleting(deleteTargetOf(server)),
      }),
    );
  }

  return (
    <>
      <div className="toolbar">
        <SearchField value={search} onChange={setSearch} placeholder="Server name or host" />
      </div>
      <DataTable
        caption="License servers"
        columns={columns}
        rows={servers.data?.pages.flatMap((page) => page.items) ?? []}
        rowKey={(server) => server.id}
        query={servers}
        loadingLabel="Loading license servers…"
        errorTitle="The license servers could not be loaded."
        empty={query.trim() !== '' ? <p className="muted">No license servers match the search.</p> : <NoServers />}
      />
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
