import nodemailer from 'nodemailer';

export interface Mail {
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
  const transport =
    smtpUrl === 'log'
      ? nodemailer.createTransport({ jsonTransport: true })
      : nodemailer.createTransport(smtpUrl, {
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs,
        } as never);

  async function send(mail: Mail): Promise<void> {
    const info = await transport.sendMail({ from, ...mail });
    if (smtpUrl === 'log') log(`Mail (SMTP_URL=log) to ${mail.to}: ${mail.subject}\n${mail.text}`);
    if ('rejected' in info && Array.isArray(info.rejected) && info.rejected.length)
      throw new Error(`The mail server refused ${info.rejected.join(', ')}.`);
  }

  return { send, close: () => transport.close() };
}

export type EmailSender = NonNullable<ReturnType<typeof createEmailSender>>;
