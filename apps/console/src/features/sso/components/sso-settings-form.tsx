import { ZSsoSettingsRequest, type TSsoSettings } from '@reg/contracts/sso-api';
import { z } from 'zod';
import { BusyButton } from '../../../components/ui/busy-button.tsx';
import { CopyField } from '../../../components/ui/copy-field.tsx';
import { ErrorNotice } from '../../../components/ui/states.tsx';
import { Field, fieldErrorText, FormFooter } from '../../../components/ui/form.tsx';
import { useAnnounce } from '../../../components/ui/status-message.tsx';
import { useZodForm } from '../../../components/ui/use-zod-form.ts';
import { useCanChange } from '../../auth/use-can-change.ts';
import { useSaveSsoSettings, useTurnOffSso } from '../api/sso-settings.ts';

/** "a, b ,c" → ["a", "b", "c"]: the lists are typed comma-separated. */
const list = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

/** The form's text fields, turned into the contracts' request (which checks them as the API will). */
const ZSsoForm = z
  .object({
    issuer: z.string(),
    clientId: z.string(),
    clientSecret: z.string(),
    emailDomains: z.string(),
    groupsClaim: z.string(),
    fullAdminGroups: z.string(),
    readOnlyGroups: z.string(),
    justInTime: z.boolean(),
    enforced: z.boolean(),
  })
  .transform((form, context) => {
    const parsed = ZSsoSettingsRequest.safeParse({
      issuer: form.issuer.trim(),
      clientId: form.clientId.trim(),
      ...(form.clientSecret !== '' && { clientSecret: form.clientSecret }),
      emailDomains: list(form.emailDomains),
      groupsClaim: form.groupsClaim.trim() || 'groups',
      fullAdminGroups: list(form.fullAdminGroups),
      readOnlyGroups: list(form.readOnlyGroups),
      justInTime: form.justInTime,
      enforced: form.enforced,
    });
    if (parsed.success) return parsed.data;
    // The API's rules, shown under the field they concern.
    for (const issue of parsed.error.issues) {
      context.addIssue({ code: 'custom', path: issue.path.slice(0, 1), message: issue.message });
    }
    return z.NEVER;
  });

/** Settings > Sign-in > Single sign-on: editable by full admins, shown to every admin. */
export function SsoSettingsForm({ saved }: { saved: TSsoSettings }) {
  const canChange = useCanChange();
  const save = useSaveSsoSettings();
  const turnOff = useTurnOffSso();
  const announce = useAnnounce();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useZodForm(ZSsoForm, {
    issuer: saved.issuer ?? '',
    clientId: saved.clientId ?? '',
    clientSecret: '',
    emailDomains: saved.emailDomains.join(', '),
    groupsClaim: saved.groupsClaim,
    fullAdminGroups: saved.fullAdminGroups.join(', '),
    readOnlyGroups: saved.readOnlyGroups.join(', '),
    justInTime: saved.justInTime,
    enforced: saved.enforced,
  });
  const onSubmit = handleSubmit((settings) =>
    save.mutate(settings, { onSuccess: () => announce('Single sign-on settings saved.') }),
  );
  const disabled = !canChange;

  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Single sign-on">
      <Field label="Issuer URL" error={fieldErrorText('Issuer URL', errors.issuer)}>
        {(control) => <input {...control} type="url" disabled={disabled} {...register('issuer')} />}
      </Field>
      <Field label="Client ID" error={fieldErrorText('Client ID', errors.clientId)}>
        {(control) => <input {...control} disabled={disabled} {...register('clientId')} />}
      </Field>
      <Field
        label="Client secret"
        hint={saved.clientSecretSet ? 'Saved; leave empty to keep' : undefined}
        error={fieldErrorText('Client secret', errors.clientSecret)}
      >
        {(control) => (
          <input {...control} type="password" autoComplete="off" disabled={disabled} {...register('clientSecret')} />
        )}
      </Field>
      <Field
        label="Email domains"
        hint="Comma-separated, such as example.com, example.org"
        error={fieldErrorText('Email domains', errors.emailDomains)}
      >
        {(control) => <input {...control} disabled={disabled} {...register('emailDomains')} />}
      </Field>
      <Field label="Groups claim" error={fieldErrorText('Groups claim', errors.groupsClaim)}>
        {(control) => <input {...control} disabled={disabled} {...register('groupsClaim')} />}
      </Field>
      <Field
        label="Full access groups"
        hint="Comma-separated"
        error={fieldErrorText('Full access groups', errors.fullAdminGroups)}
      >
        {(control) => <input {...control} disabled={disabled} {...register('fullAdminGroups')} />}
      </Field>
      <Field
        label="Read-only groups"
        hint="Comma-separated"
        error={fieldErrorText('Read-only groups', errors.readOnlyGroups)}
      >
        {(control) => <input {...control} disabled={disabled} {...register('readOnlyGroups')} />}
      </Field>
      <CopyField label="Redirect URI" value={saved.redirectUri} copyWhat="Copy redirect URI" />
      <div className="checkbox">
        <input id="sso-just-in-time" type="checkbox" disabled={disabled} {...register('justInTime')} />
        <label htmlFor="sso-just-in-time">Create administrators on first sign-in</label>
      </div>
      {errors.justInTime?.message && <p className="field-error">{errors.justInTime.message}.</p>}
      <div className="checkbox">
        <input id="sso-enforced" type="checkbox" disabled={disabled} {...register('enforced')} />
        <label htmlFor="sso-enforced">
          Require single sign-on (break-glass administrators may still use passwords)
        </label>
      </div>
      <p className="muted small">
        {saved.testedAt
          ? `Last signed in with single sign-on ${new Date(saved.testedAt).toLocaleString()}.`
          : 'Sign in once with single sign-on before requiring it.'}
      </p>
      {canChange ? (
        <>
          <FormFooter error={save.isError && save.error.message} busy={save.isPending} busyLabel="Saving…">
            Save
          </FormFooter>
          {saved.issuer && (
            <div className="dialog-actions">
              <ErrorNotice message={turnOff.isError && `Could not turn it off: ${turnOff.error.message}`} />
              <BusyButton
                type="button"
                className="button"
                busy={turnOff.isPending}
                busyLabel="Turning off…"
                onClick={() => turnOff.mutate(undefined, { onSuccess: () => announce('Single sign-on turned off.') })}
              >
                Turn off single sign-on
              </BusyButton>
            </div>
          )}
        </>
      ) : (
        <p className="notice">Only admins with full access can change the settings.</p>
      )}
    </form>
  );
}
