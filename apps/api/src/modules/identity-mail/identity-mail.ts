import { CONSOLE_PATHS } from '@reg/contracts/console-paths';
import type { TSystemMail } from '@reg/contracts/events';
import type { SealedBox } from '../../lib/sealed-box.ts';
import type { Tx } from '../../lib/tx.ts';
import type { Outbox, SystemMailDelivery } from '../notifications/outbox.ts';

interface Mail {
  to: string;
  subject: string;
  text: string;
}

interface Deps {
  outbox: Pick<Outbox, 'enqueueMail'>;
  /** Whether mail can go out at all (SMTP_URL set): without it nothing is queued. */
  configured: boolean;
  /** Seals the links' tokens while they wait in the outbox. */
  sealedBox: SealedBox;
  publicUrl: string;
  /** Whether a link still works (not used, renewed or expired), asked when the mail is sent. */
  linkIsLive: { invitation(token: string): Promise<boolean>; passwordReset(token: string): Promise<boolean> };
}

interface Queued {
  customerId: string;
  to: string;
  at: Date;
  expiresAt: Date;
}

/**
 * Invitation and reset mails, to one person's address (not to a customer's channels). They go
 * through the notifications outbox, written in the transaction that makes the link: the
 * dispatcher sends them after the answer (which therefore never waits for SMTP, and a reset
 * request takes the same time for a known and an unknown email) with its retries and
 * per-attempt deadline, and a process stopped after the commit leaves them for the next one.
 * The token waits sealed, and the mail is written when it is sent, so a link that died in the
 * meantime (renewed, used, expired) is never mailed.
 */
export function createIdentityMail({ outbox, configured, sealedBox, publicUrl, linkIsLive }: Deps) {
  const enqueue = async (tx: Tx, mail: TSystemMail & { customerId: string; at: Date }) => {
    if (!configured) return false;
    await outbox.enqueueMail(tx, mail);
    return true;
  };

  // A token sealed under other secrets (SESSION_SECRET rotated since) opens to null.
  const unreadable = { notSent: 'its link can no longer be read (the session secret changed)' };

  async function render(mail: SystemMailDelivery): Promise<Mail | { notSent: string }> {
    const validForMs = new Date(mail.data.expiresAt).getTime() - mail.createdAt.getTime();
    if (mail.type === 'mail.invitation') {
      const token = sealedBox.open(mail.data.sealedToken);
      if (token === null) return unreadable;
      if (!(await linkIsLive.invitation(token))) return { notSent: 'its link was used, renewed or expired first' };
      // In the fragment: no server log or Referer sees it.
      const link = `${publicUrl}${CONSOLE_PATHS.acceptInvitation}#token=${token}`;
      const { to, existingPerson } = mail.data;
      return invitationMail({ to, customerName: mail.customerName, link, validForMs, existingPerson });
    }
    const sealed = mail.data.sealedToken;
    if (sealed === null) return resetMail({ to: mail.data.to, link: null, validForMs });
    const token = sealedBox.open(sealed);
    if (token === null) return unreadable;
    if (!(await linkIsLive.passwordReset(token))) return { notSent: 'its link was used or expired first' };
    return resetMail({
      to: mail.data.to,
      link: `${publicUrl}${CONSOLE_PATHS.resetPassword}#token=${token}`,
      validForMs,
    });
  }

  return {
    configured,
    /** Queues the invitation in `tx`; true when it will be mailed (SMTP_URL set). */
    queueInvitation: (tx: Tx, args: Queued & { token: string; existingPerson: boolean }) =>
      enqueue(tx, {
        type: 'mail.invitation',
        customerId: args.customerId,
        at: args.at,
        data: {
          to: args.to,
          existingPerson: args.existingPerson,
          expiresAt: args.expiresAt.toISOString(),
          sealedToken: sealedBox.seal(args.token),
        },
      }),
    /** Queues a reset mail in `tx`: with the link, or (token null) telling to use single sign-on. */
    queuePasswordReset: (tx: Tx, args: Queued & { token: string | null }) =>
      enqueue(tx, {
        type: 'mail.password_reset',
        customerId: args.customerId,
        at: args.at,
        data: {
          to: args.to,
          expiresAt: args.expiresAt.toISOString(),
          sealedToken: args.token === null ? null : sealedBox.seal(args.token),
        },
      }),
    /** For the dispatcher (notifications' `systemMails`). */
    render,
  };
}

export type IdentityMail = ReturnType<typeof createIdentityMail>;

const hours = (ms: number) => Math.round(ms / 3_600_000);

function invitationMail(args: {
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

function resetMail(args: { to: string; link: string | null; validForMs: number }): Mail {
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
