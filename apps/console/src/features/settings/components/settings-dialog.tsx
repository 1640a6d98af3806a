import { STALE_REMOVAL_DAYS, ZCustomerSettings, type TCustomerSettings } from '@reg/contracts/settings-api';
import { useId, useState, type FormEvent } from 'react';
import { FormFooter } from '../../../components/ui/busy-button.tsx';
import { Dialog } from '../../../components/ui/dialog.tsx';
import { ErrorState, Loading } from '../../../components/ui/states.tsx';
import { useCanChange } from '../../auth/use-can-change.ts';
import { useSaveSettings, useSettings } from '../api/settings.ts';

/** The days offered when the policy is first turned on. */
const SUGGESTED_DAYS = 30;

interface SettingsDialogProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onDone: (message: string) => void;
}

/** The customer's settings (Product Registrations > Settings): editable by full admins, shown to every admin. */
export function SettingsDialog({ open, onOpenChange, onDone }: SettingsDialogProps) {
  const settings = useSettings();
  return (
    <Dialog open={open} onOpenChange={onOpenChange} title="Settings">
      {settings.isPending ? (
        <Loading label="Loading settings…" />
      ) : settings.isError ? (
        <ErrorState title="The settings could not be loaded." error={settings.error} onRetry={settings.refetch} />
      ) : (
        // The dialog's content mounts on each opening, so the form starts from what is stored.
        <SettingsForm saved={settings.data} onSaved={onDone} />
      )}
    </Dialog>
  );
}

function SettingsForm({ saved, onSaved }: { saved: TCustomerSettings; onSaved: (message: string) => void }) {
  const canChange = useCanChange();
  const save = useSaveSettings();
  const daysId = useId();
  const hintId = useId();
  const errorId = useId();
  const [enabled, setEnabled] = useState(saved.staleRemovalDays !== null);
  const [days, setDays] = useState(String(saved.staleRemovalDays ?? SUGGESTED_DAYS));
  const [error, setError] = useState<string | null>(null);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZCustomerSettings.safeParse({ staleRemovalDays: enabled ? Number(days) : null });
    if (!parsed.success || (enabled && days.trim() === '')) {
      setError(`Days must be a whole number from ${STALE_REMOVAL_DAYS.min} to ${STALE_REMOVAL_DAYS.max}.`);
      return;
    }
    setError(null);
    save.mutate(parsed.data, {
      onSuccess: ({ staleRemovalDays }) =>
        onSaved(
          staleRemovalDays === null
            ? 'Settings saved: registrations are not removed for not reporting.'
            : `Settings saved: registrations that have not reported for ${staleRemovalDays} days are removed.`,
        ),
    });
  };

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <div className="checkbox">
        <input
          id={`${daysId}-enabled`}
          type="checkbox"
          checked={enabled}
          disabled={!canChange}
          aria-describedby={hintId}
          onChange={(event) => setEnabled(event.target.checked)}
        />
        <label htmlFor={`${daysId}-enabled`}>Remove registrations that have not reported for a number of days</label>
      </div>
      <div className="field">
        <label htmlFor={daysId}>Days without a report</label>
        <input
          id={daysId}
          type="number"
          inputMode="numeric"
          min={STALE_REMOVAL_DAYS.min}
          max={STALE_REMOVAL_DAYS.max}
          step={1}
          value={days}
          disabled={!canChange || !enabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${hintId} ${errorId}` : hintId}
          onChange={(event) => setDays(event.target.value)}
        />
        {error && (
          <p className="field-error" id={errorId}>
            {error}
          </p>
        )}
      </div>
      <p id={hintId} className="muted small">
        From {STALE_REMOVAL_DAYS.min} to {STALE_REMOVAL_DAYS.max} days; off by default. Nothing goes without warning: a
        Not reporting row shows when it will be removed, and a &ldquo;removal scheduled&rdquo; notification goes out
        three days before. A server that reports again is kept. A removed server keeps its usage history and can
        register again.
      </p>
      {canChange ? (
        <FormFooter
          error={save.isError && `Could not save: ${save.error.message}`}
          busy={save.isPending}
          busyLabel="Saving…"
        >
          Save
        </FormFooter>
      ) : (
        <p className="notice">Only admins with full access can change the settings.</p>
      )}
    </form>
  );
}
