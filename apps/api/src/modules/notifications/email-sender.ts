import nodemailer from 'nodemailer';

interface Mail {
  to: string;
  subject: string;
  text: string;
}

/**
 * nodemailer to SMTP_URL. `log` (refused in production by the config) writes each mail to
 * the log instead, so development needs no mail server. Without SMTP_URL there is no sender
 * and email channels are refused.
 */
export function createEmailSender({
  smtpUrl,
  from,
  timeoutMs,
  log,
}: {
  smtpUrl: string | undefined;
  from: string;
  timeoutMs: number;
  log: (line: string) => void;
}) {
  if (!smtpUrl) return null;
  // Transport options, not message defaults: a server that accepts the connection and never
  // greets (or stops answering) fails the attempt after timeoutMs instead of nodemailer's minutes.
  const transport =
    smtpUrl === 'log'
      ? nodemailer.createTransport({ jsonTransport: true })
      : nodemailer.createTransport({
          url: smtpUrl,
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs,
        });

  /** One attempt, given up when `signal` aborts (the attempt's deadline, or shutdown). */
  async function send(mail: Mail, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    const aborted = new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
    );
    const info = await Promise.race([transport.sendMail({ from, ...mail }), aborted]);
    if (smtpUrl === 'log') log(`Mail (SMTP_URL=log) to ${mail.to}: ${mail.subject}\n${mail.text}`);
    if ('rejected' in info && Array.isArray(info.rejected) && info.rejected.length)
      throw Object.assign(new Error('The mail server refused the address.'), { code: 'EENVELOPE' });
  }

  return { send, close: () => transport.close() };
}

export type EmailSender = NonNullable<ReturnType<typeof createEmailSender>>;
