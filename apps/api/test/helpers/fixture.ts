import { afterAll, beforeAll } from 'vitest';

/**
 * Something a whole test file shares (the app, a webhook receiver, an SMTP server): started
 * before the file's tests and closed after them. The object returned is filled in once it has
 * started, so a file declares it (and the small helpers that read it) at the top, as a `const`.
 * Vitest runs the after-hooks in the reverse order of their declaration: what was started
 * first is closed last.
 */
export function forTheFile<T extends object>(start: () => Promise<T>, close: (started: T) => Promise<unknown>): T {
  const started = {} as T;
  let ready = false;
  beforeAll(async () => {
    Object.assign(started, await start());
    ready = true;
  });
  afterAll(async () => {
    if (ready) await close(started);
  });
  return started;
}
