import { zodResolver } from '@hookform/resolvers/zod';
import type { TSignInRequest } from '@reg/contracts/console-api';
import { useId } from 'react';
import { useForm, type Resolver } from 'react-hook-form';
import { isApiError } from '../../../lib/api-client.ts';
import { minutesToWait, plural } from '../../../lib/format.ts';
import { useSignIn } from '../api/sign-in.ts';
import { BusyButton } from '../../../components/ui/busy-button.tsx';
import { ErrorNotice } from '../../../components/ui/states.tsx';

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
 * itself (issue 17's page budgets). A submit before that load waits for it.
 */
const loadSignInSchema = () => import('@reg/contracts/console-api').then((contracts) => contracts.ZSignInRequest);
const signInResolver: Resolver<TSignInRequest> = async (values, context, options) =>
  zodResolver(await loadSignInSchema())(values, context, options);
const preloadSignInSchema = () => void loadSignInSchema().catch(() => undefined);

export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const emailId = useId();
  const passwordId = useId();
  const signIn = useSignIn();
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<TSignInRequest>({ resolver: signInResolver, defaultValues: { email: '', password: '' } });

  const onSubmit = handleSubmit((values) => signIn.mutate(values, { onSuccess: onSignedIn }));

  return (
    <form className="stack" onSubmit={onSubmit} onFocus={preloadSignInSchema} noValidate>
      <ErrorNotice message={signIn.isError && signInErrorText(signIn.error)} />
      <div className="field">
        <label htmlFor={emailId}>Email</label>
        <input
          id={emailId}
          type="email"
          autoComplete="username"
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={errors.email ? `${emailId}-error` : undefined}
          {...register('email')}
        />
        {errors.email && (
          <p className="field-error" id={`${emailId}-error`}>
            Email {errors.email.message}.
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={passwordId}>Password</label>
        <input
          id={passwordId}
          type="password"
          autoComplete="current-password"
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={errors.password ? `${passwordId}-error` : undefined}
          {...register('password')}
        />
        {errors.password && (
          <p className="field-error" id={`${passwordId}-error`}>
            Password {errors.password.message}.
          </p>
        )}
      </div>
      <BusyButton type="submit" className="button button-primary" busy={signIn.isPending} busyLabel="Signing in…">
        Sign in
      </BusyButton>
    </form>
  );
}
