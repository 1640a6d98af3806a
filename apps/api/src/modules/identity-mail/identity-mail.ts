import type { EmailSender } from '../notifications/email-sender.ts';

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Attempts and the pause before each retry: a mail server that hiccups gets the mail later. */
const RETRY_DELAYS_MS = [2_000, 15_000, 60_000];

/**
 * Invitation and reset mails, to one person's address (not to a customer's channels, which the
 * notification outbox serves). Sent after the answer, so an answer never waits for SMTP and a
 * reset request takes the same time for a known and an unknown email, with a few retries.
 * Null sender (no SMTP_URL): `send` says false and nothing goes out.
 */
export function createIdentityMailer({
  email,
  timeoutMs,
  onError = () => undefined,
}: {
  email: EmailSender | null;
  timeoutMs: number;
  onError?: (error: unknown) => void;
}) {
  const inFlight = new Set<Promise<void>>();

  async function deliver(mail: Mail): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await email!.send(mail, AbortSignal.timeout(timeoutMs));
        return;
      } catch (error) {
        const delay = RETRY_DELAYS_MS[attempt];
        if (delay === undefined) return onError(error);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  return {
    /** Whether mail can go out at all (SMTP_URL set). */
    configured: email !== null,
    /** Queues the mail; true when a sender is configured (the mail then goes out after the answer). */
    send(mail: Mail): boolean {
      if (!email) return false;
      const sending = new Promise<void>((resolve) => setImmediate(resolve)).then(() => deliver(mail));
      inFlight.add(sending);
      void sending.finally(() => inFlight.delete(sending));
      return true;
    },
    /** Waits for the mails in flight (shutdown). */
    drain: () => Promise.all([...inFlight]).then(() => undefined),
  };
}

export type IdentityMailer = ReturnType<typeof createIdentityMailer>;

const hours = (ms: number) => Math.round(ms / 3_600_000);

export function invitationMail(args: {
  to: string;
  customerName: string;
  link: string;
  validForMs: number;
  existingPerson: boolean;
}): Mail {
  const lines = args.existingPerson
    ? [
        `You were added as an administrator of another customer, "${args.customerName}", in the Cloud Console.`,
        'Sign in with your usual password, then open this link to accept:',
      ]
    : [
        `You are invited to administer "${args.customerName}" in the Cloud Console.`,
        'Open this link to choose your password and accept:',
      ];
  return {
    to: args.to,
    subject: `Invitation to administer ${oneLine(args.customerName)}`,
    text: [
      ...lines,
      '',
      args.link,
      '',
      `The link works once, for ${hours(args.validForMs)} hours. If you did not expect it, ignore this mail.`,
    ].join('\n'),
  };
}

export function resetMail(args: { to: string; link: string | null; validForMs: number }): Mail {
  return {
    to: args.to,
    subject: 'Reset your Cloud Console password',
    text: (args.link
      ? [
          'Someone (we hope you) asked to reset your Cloud Console password. Open this link to choose a new one:',
          '',
          args.link,
          '',
          `The link works once, for ${Math.round(args.validForMs / 60_000)} minutes. If you did not ask, ignore this mail; your password stays as it is.`,
        ]
      : [
          'Someone (we hope you) asked to reset your Cloud Console password.',
          'Your account signs in with single sign-on: sign in with "Sign in with single sign-on" on the sign-in page.',
        ]
    ).join('\n'),
  };
}

/** A customer name is the admins' own text: no line breaks into the subject. */
const oneLine = (text: string) =>
  Array.from(text, (char) => (char.charCodeAt(0) < 0x20 || char === '\u007f' ? ' ' : char)).join('');
