import { readFileSync } from 'node:fs';

/**
 * The e2e server runs with SMTP_URL=log: each mail is written to its log as
 * "Mail (SMTP_URL=log) to <address>: <subject>" and the plain text after it. This reads the
 * newest mail to `address` the way its reader would: the line holding a link to `pathname`.
 */
export function newestMailedLink(address: string, pathname: string): string | null {
  const logFile = process.env.E2E_SERVER_LOG;
  if (!logFile) throw new Error('E2E_SERVER_LOG is not set: global-setup.ts did not run.');
  const mails = readFileSync(logFile, 'utf8').split(`Mail (SMTP_URL=log) to ${address}:`).slice(1);
  const newest = mails.at(-1);
  if (!newest) return null;
  // The mail ends where the next log line starts; a link is on a line of its own.
  const line = newest
    .split('\n')
    .map((text) => text.trim())
    .find((text) => /^https?:\/\/\S+$/.test(text) && new URL(text).pathname === pathname);
  return line ?? null;
}
