import type { TRegistrationKey, TRegistrationKeyStatus } from '@reg/contracts/registration-keys-api';
import { useMemo, useState } from 'react';
import { actionsColumn } from '../../../components/ui/actions-menu.tsx';
import { DataTable, type Column } from '../../../components/ui/data-table.tsx';
import { timeColumn } from '../../../components/ui/relative-time.tsx';
import { EmptyState } from '../../../components/ui/states.tsx';
import { Truncate } from '../../../components/ui/truncate.tsx';
import { useCanChange } from '../../auth/use-can-change.ts';
import { useRegistrationKeys } from '../api/registration-keys.ts';
import { RevokeKeyDialog } from './revoke-key-dialog.tsx';

/** A key's status in words (never by colour alone), with the badge colour of a like registration status. */
const KEY_STATUS: Record<TRegistrationKeyStatus, { label: string; badge: string }> = {
  active: { label: 'Active', badge: 'badge-reporting' },
  expired: { label: 'Expired', badge: 'badge-unregistered' },
  exhausted: { label: 'Used up', badge: 'badge-unregistered' },
  revoked: { label: 'Revoked', badge: 'badge-unregistered' },
};

const usesText = ({ uses, maxUses }: TRegistrationKey) =>
  maxUses === null ? uses.toLocaleString('en') : `${uses.toLocaleString('en')} of ${maxUses.toLocaleString('en')}`;

function NoKeys() {
  return (
    <EmptyState title="No registration keys yet">
      <p>
        A registration key lets License Servers register without a code typed into the console: an install script runs{' '}
        <code>license-server register --key …</code> on each server. A key can be limited in uses and time, require your
        approval for each server, and tag the servers it registers. Click <strong>Create key</strong> to make one.
      </p>
    </EmptyState>
  );
}

export function RegistrationKeysList({ onMessage }: { onMessage: (message: string) => void }) {
  const keys = useRegistrationKeys();
  const canChange = useCanChange();
  const [revoking, setRevoking] = useState<TRegistrationKey | null>(null);
  const items = useMemo(() => keys.data?.pages.flatMap((page) => page.items) ?? [], [keys.data]);

  const columns: Column<TRegistrationKey>[] = [
    {
      id: 'description',
      header: 'Description',
      rowHeader: true,
      className: 'cell-name',
      cell: (key) => <Truncate text={key.description} />,
    },
    { id: 'tags', header: 'Tags', className: 'cell-tags', cell: (key) => key.tags.join(', ') },
    {
      id: 'approval',
      header: 'Approval',
      className: 'nowrap',
      cell: (key) => (key.approval === 'automatic' ? 'Automatic' : 'Requires approval'),
    },
    { id: 'uses', header: 'Uses', className: 'nowrap', cell: usesText },
    timeColumn('expires', 'Expires', (key) => key.expiresAt, 'date'),
    {
      id: 'status',
      header: 'Status',
      cell: (key) => <span className={`badge ${KEY_STATUS[key.status].badge}`}>{KEY_STATUS[key.status].label}</span>,
    },
    {
      id: 'by',
      header: 'Created by',
      className: 'cell-email cell-email-narrow',
      cell: (key) => <Truncate text={key.createdBy} />,
    },
    timeColumn('used', 'Last used', (key) => key.lastUsedAt),
  ];
  if (canChange) {
    columns.push(
      actionsColumn(
        (key) => key.description,
        (key) =>
          key.status === 'revoked' ? [] : [{ label: 'Revoke key', danger: true, onSelect: () => setRevoking(key) }],
      ),
    );
  }

  return (
    <>
      <DataTable
        caption="Registration keys"
        columns={columns}
        rows={items}
        rowKey={(key) => key.id}
        query={keys}
        loadingLabel="Loading registration keys…"
        errorTitle="The registration keys could not be loaded."
        empty={<NoKeys />}
      />
      <RevokeKeyDialog
        registrationKey={revoking}
        onClose={() => setRevoking(null)}
        onRevoked={(message) => {
          setRevoking(null);
          onMessage(message);
        }}
      />
    </>
  );
}
