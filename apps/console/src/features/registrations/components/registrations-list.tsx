import type { TRegistration } from '@reg/contracts/console-api';
import { lazy, Suspense, useMemo, useState } from 'react';
import { DataTable, type RowSelection } from '../../../components/ui/data-table.tsx';
import type { TDecision } from '../api/decide-registrations.ts';
import { useCanChange } from '../../auth/use-can-change.ts';
import { useRegistrations } from '../api/get-registrations.ts';
import { registrationColumns } from './registration-columns.tsx';
import { RegistrationsEmpty } from './registrations-empty.tsx';
import { RegistrationsToolbar, useRegistrationView } from './registrations-toolbar.tsx';

// Loaded on the first "Remove registration" / "Remove selected": the page itself loads less (npm run bench).
const RemoveRegistrationDialog = lazy(async () => ({
  default: (await import('./remove-registration-dialog.tsx')).RemoveRegistrationDialog,
}));
const BulkRemoveDialog = lazy(async () => ({
  default: (await import('./bulk-remove-dialog.tsx')).BulkRemoveDialog,
}));
const DecisionDialog = lazy(async () => ({ default: (await import('./decision-dialog.tsx')).DecisionDialog }));
const EditTagsDialog = lazy(async () => ({ default: (await import('./edit-tags-dialog.tsx')).EditTagsDialog }));

export function RegistrationsList({ onMessage }: { onMessage: (message: string) => void }) {
  const canChange = useCanChange();
  const { filters, setView } = useRegistrationView();
  const [removing, setRemoving] = useState<TRegistration | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [confirmingBulk, setConfirmingBulk] = useState(false);
  const [deciding, setDeciding] = useState<TDecision | null>(null);
  const [editingTags, setEditingTags] = useState<TRegistration | null>(null);
  const registrations = useRegistrations(filters);
  const columns = useMemo(
    () => registrationColumns(canChange ? setRemoving : null, canChange ? setEditingTags : undefined),
    [canChange],
  );
  const items = useMemo(() => registrations.data?.pages.flatMap((page) => page.items) ?? [], [registrations.data]);
  // Only rows still shown count: a row gone by a filter or a removal is never removed unseen.
  const selection: RowSelection<TRegistration> | undefined = canChange
    ? { selected, onChange: setSelected, nameOf: (registration) => registration.serverName }
    : undefined;
  const chosen = useMemo(() => items.filter((item) => selected.has(item.id)), [items, selected]);
  // Approve and deny act on the selected rows that wait for approval, and say how many.
  const pending = useMemo(() => chosen.filter((item) => item.status === 'pending-approval'), [chosen]);

  return (
    <>
      <RegistrationsToolbar filters={filters} setView={setView} />
      {canChange && chosen.length > 0 && (
        <div className="bulk-actions">
          <button type="button" className="button button-danger" onClick={() => setConfirmingBulk(true)}>
            Remove selected ({chosen.length})
          </button>
          {pending.length > 0 && (
            <>
              <button type="button" className="button button-primary" onClick={() => setDeciding('approve')}>
                Approve selected ({pending.length})
              </button>
              <button type="button" className="button" onClick={() => setDeciding('deny')}>
                Deny selected ({pending.length})
              </button>
            </>
          )}
        </div>
      )}
      <DataTable
        caption="Product registrations"
        columns={columns}
        rows={items}
        rowKey={(registration) => registration.id}
        query={registrations}
        loadingLabel="Loading registrations…"
        errorTitle="The registrations could not be loaded."
        empty={<RegistrationsEmpty filtered={filters.query !== '' || filters.status !== '' || filters.tag !== ''} />}
        {...(selection && { selection })}
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
      {editingTags && (
        <Suspense fallback={null}>
          <EditTagsDialog
            registration={editingTags}
            onClose={() => setEditingTags(null)}
            onSaved={(message) => {
              setEditingTags(null);
              onMessage(message);
            }}
          />
        </Suspense>
      )}
      {confirmingBulk && (
        <Suspense fallback={null}>
          <BulkRemoveDialog
            open
            registrations={chosen}
            onClose={() => setConfirmingBulk(false)}
            onRemoved={(message) => {
              setConfirmingBulk(false);
              setSelected(new Set());
              onMessage(message);
            }}
          />
        </Suspense>
      )}
      {deciding && (
        <Suspense fallback={null}>
          <DecisionDialog
            decision={deciding}
            registrations={pending}
            onClose={() => setDeciding(null)}
            onDecided={(message) => {
              setDeciding(null);
              setSelected(new Set());
              onMessage(message);
            }}
          />
        </Suspense>
      )}
    </>
  );
}
