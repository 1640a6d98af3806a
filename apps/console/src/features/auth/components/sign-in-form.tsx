import { zodResolver } from '@hookform/resolvers/zod';
import type { TSignInRequest } from '@reg/contracts/console-api';
import { useState } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { isApiError } from '../../../lib/api-client.ts';
import { minutesToWait, plural } from '../../../lib/format.ts';
import { useSignIn } from '../api/sign-in.ts';
import { MfaStep } from './mfa-step.tsx';
import { startSingleSignOn } from './sso-sign-in.ts';
import { Field, fieldErrorText, FormError, SubmitButton } from '../../../components/ui/form.tsx';

function signInErrorText(error: unknown): string {
  if (isApiError(error, 'invalid_credentials')) return 'Wrong email or password.';
  if (isApiError(error, 'rate_limited')) {
    return `Too many failed sign-ins. Wait ${plural(minutesToWait(error.retryAfter), 'minute', 'minutes')} and try again.`;
  }
  if (isApiError(error)) return `Could not sign in: ${error.message}`;
  return 'Could not sign in. Try again.';
}

/*
 * The form validates with the contracts' ZSignInRequest like every form, but loads it (and so
 * zod, ~25 KB gzipped) on the first focus of the form rather than with the page: the sign-in
 * page is the console's first paint and zod is the largest thing it would not use to show
 * itself (the page budgets in docs/design.md). A submit before that load waits for it.
 */
const loadSignInSchema = () => import('@reg/contracts/console-api').then((contracts) => contracts.ZSignInRequest);
const signInResolver: Resolver<TSignInRequest> = async (values, context, options) =>
  zodResolver(await loadSignInSchema())(values, context, options);
const preloadSignInSchema = () => void loadSignInSchema().catch(() => undefined);

export function SignInForm({
  onSignedIn,
  redirectTo,
  initialEmail = '',
}: {
  onSignedIn: () => void;
  redirectTo: string | null;
  /** The email to start with: the one a failed single sign-on began with. */
  initialEmail?: string;
}) {
  const signIn = useSignIn();
  // The password was right and two-step verification is on: the second step replaces the form.
  const [secondStep, setSecondStep] = useState(false);
  const {
    register,
    handleSubmit,
    getValues,
    setError,
    formState: { errors },
  } = useForm<TSignInRequest>({ resolver: signInResolver, defaultValues: { email: initialEmail, password: '' } });

  const onSubmit = handleSubmit((values) =>
    signIn.mutate(values, {
      onSuccess: (answer) => ('mfaRequired' in answer ? setSecondStep(true) : onSignedIn()),
    }),
  );

  if (secondStep)
    return (
      <MfaStep
        onSignedIn={onSignedIn}
        onRestart={() => {
          signIn.reset();
          setSecondStep(false);
        }}
      />
    );
  return (
    <form className="stack" onSubmit={onSubmit} onFocus={preloadSignInSchema} noValidate>
      <FormError message={signIn.isError && signInErrorText(signIn.error)} />
      <Field label="Email" error={fieldErrorText('Email', errors.email)}>
        {(control) => <input {...control} type="email" autoComplete="username" {...register('email')} />}
      </Field>
      <Field label="Password" error={fieldErrorText('Password', errors.password)}>
        {(control) => <input {...control} type="password" autoComplete="current-password" {...register('password')} />}
      </Field>
      <SubmitButton busy={signIn.isPending} busyLabel="Signing in…">
        Sign in
      </SubmitButton>
      <button
        type="button"
        className="button"
        onClick={() => {
          const email = getValues('email').trim();
          if (!email) return setError('email', { message: 'is required for single sign-on' }, { shouldFocus: true });
          startSingleSignOn(email, redirectTo);
        }}
      >
        Sign in with single sign-on
      </button>
    </form>
  );
}
