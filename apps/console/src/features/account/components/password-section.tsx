import { useState } from 'react';
import { useChangePassword } from '../api/change-password.ts';
import { NewPasswordForm } from './new-password-form.tsx';
import { passwordErrorText } from './password-words.ts';

/** Changing one's password: the current one confirms it; every other session ends. */
export function PasswordSection({
  heading = 'Password',
  level = 2,
  why,
  onChanged,
}: {
  heading?: string;
  /** 1 when the section is the whole page (a session that must change its password). */
  level?: 1 | 2;
  why?: string;
  /** After the change (and the session read again): a restricted session goes on from here. */
  onChanged?: () => void;
}) {
  const Heading = level === 1 ? 'h1' : 'h2';
  const change = useChangePassword();
  // A new form after each change, so the fields empty.
  const [round, setRound] = useState(0);
  return (
    <section className="stack" aria-labelledby="password-heading">
      <Heading id="password-heading">{heading}</Heading>
      {why && <p>{why}</p>}
      {change.isSuccess && <p role="status">Your password is changed. Your other sessions were signed out.</p>}
      <NewPasswordForm
        key={round}
        withCurrent
        submitLabel="Change password"
        busyLabel="Changing…"
        busy={change.isPending}
        error={change.isError && passwordErrorText(change.error, 'Could not change the password. Try again.')}
        onSubmit={(values) =>
          change.mutate(
            { currentPassword: values.currentPassword ?? '', newPassword: values.newPassword },
            {
              onSuccess: () => {
                setRound((n) => n + 1);
                onChanged?.();
              },
            },
          )
        }
      />
    </section>
  );
}
