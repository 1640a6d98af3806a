import { STALE_REMOVAL_DAYS, ZCustomerSettingsUpdate, type TCustomerSettings } from '@reg/contracts/settings-api';
import { useId } from 'react';
import { z } from 'zod';
import { Field, FormFooter, WholeNumberInput } from '../../../components/ui/form.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
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

const DAYS_TEXT = `Days must be a whole number from ${STALE_REMOVAL_DAYS.min} to ${STALE_REMOVAL_DAYS.max}.`;

/**
 * The form's fields, checked and turned into the contracts' ZCustomerSettingsUpdate. A disabled
 * input may be left out of the values: days then counts as empty.
 */
const ZSettingsForm = z
  .object({ enabled: z.boolean(), days: z.string().optional() })
  .transform(({ enabled, days = '' }, context) => {
    const parsed = ZCustomerSettingsUpdate.safeParse({ staleRemovalDays: enabled ? Number(days) : null });
    if (parsed.success && !(enabled && days.trim() === '')) return parsed.data;
    context.addIssue({ code: 'custom', path: ['days'], message: DAYS_TEXT });
    return z.NEVER;
  });

function SettingsForm({ saved, onSaved }: { saved: TCustomerSettings; onSaved: (message: string) => void }) {
  const canChange = useCanChange();
  const save = useSaveSettings();
  const hintId = useId();
  const {
    register,
    handleSubmit,
    watch,
    formState: { errors },
  } = useZodForm(ZSettingsForm, {
    enabled: saved.staleRemovalDays !== null,
    days: String(saved.staleRemovalDays ?? SUGGESTED_DAYS),
  });
  const enabled = watch('enabled');

  const onSubmit = handleSubmit((settings) =>
    save.mutate(settings, {
      onSuccess: ({ staleRemovalDays }) =>
        onSaved(
          staleRemovalDays === null
            ? 'Settings saved: registrations are not removed for not reporting.'
            : `Settings saved: registrations that have not reported for ${staleRemovalDays} days are removed.`,
        ),
    }),
  );

  return (
    <form className="stack" onSubmit={onSubmit} noValidate>
      <div className="checkbox">
        <input
          id={`${hintId}-enabled`}
          type="checkbox"
          disabled={!canChange}
          aria-describedby={hintId}
          {...register('enabled')}
        />
        <label htmlFor={`${hintId}-enabled`}>Remove registrations that have not reported for a number of days</label>
      </div>
      <Field label="Days without a report" error={errors.days?.message}>
        {(control) => (
          <WholeNumberInput
            {...control}
            aria-describedby={[hintId, control['aria-describedby']].filter(Boolean).join(' ')}
            min={STALE_REMOVAL_DAYS.min}
            max={STALE_REMOVAL_DAYS.max}
            disabled={!canChange || !enabled}
            {...register('days')}
          />
        )}
      </Field>
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
