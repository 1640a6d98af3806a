import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { StatusBadge } from '../../../components/ui/status-badge.tsx';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { paths } from '../../../config/paths.ts';
import { useCanChange } from '../../../features/auth/use-can-change.ts';
import { usePageTitle } from '../../../hooks/use-page-title.ts';
import { useLicenseServer } from '../../../features/license-servers/api/get-license-server.ts';
import { DeleteDataDialog } from '../../../features/license-servers/components/delete-data-dialog.tsx';
import { LicenseServerUsage } from '../../../features/license-servers/components/license-server-usage.tsx';
import { deleteTargetOf } from '../../../features/license-servers/components/delete-target.ts';
import { useUsageView } from '../../../features/license-servers/components/usage-range.ts';

export function LicenseServerRoute() {
  const { id = '' } = useParams();
  const [view, setView] = useUsageView();
  const server = useLicenseServer(id);
  const [deleting, setDeleting] = useState(false);
  const announce = useAnnounce();
  const canChange = useCanChange();
  const navigate = useNavigate();
  const listHref = paths.licensing.licenseServers.getHref();

  usePageTitle(server.data?.serverName ?? 'License Server');

  const back = (
    <p className="breadcrumb">
      <Link to={listHref}>License Servers</Link>
    </p>
  );

  if (server.isPending)
    return (
      <section className="page">
        {back}
        <Loading />
      </section>
    );
  if (server.isError)
    return (
      <section className="page">
        {back}
        <ErrorState
          title="The license server could not be loaded."
          error={server.error}
          onRetry={() => void server.refetch()}
        />
      </section>
    );
  if (!server.data)
    return (
      <section className="page">
        {back}
        <h1>License server not found</h1>
        <p>It has no usage data and no registration (any more), or it belongs to another account.</p>
      </section>
    );

  const current = server.data;
  return (
    <section className="page">
      {back}
      <div className="page-header">
        <h1 className="wrap">{current.serverName}</h1>
        {canChange && (
          <button type="button" className="button button-danger-outline" onClick={() => setDeleting(true)}>
            Delete data
          </button>
        )}
      </div>
      <p className="meta">
        <span className="wrap">Host {current.hostname}</span>
        <StatusBadge status={current.registration?.status ?? 'unregistered'} />
      </p>
      <LicenseServerUsage serverId={current.id} view={view} onViewChange={setView} />
      <DeleteDataDialog
        server={deleting ? deleteTargetOf(current) : null}
        onClose={() => setDeleting(false)}
        onDeleted={(message) => {
          setDeleting(false);
          // Without a registration the server leaves the list along with its data.
          if (current.registration === null) {
            navigate(listHref);
            announce(message, listHref);
          } else {
            announce(message);
          }
        }}
      />
    </section>
  );
}
