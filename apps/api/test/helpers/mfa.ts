import type { TSessionResponse } from '@reg/contracts/console-api';
import { Secret, TOTP } from 'otpauth';
import type { TestApp } from './app.ts';
import { createClient } from './client.ts';
import { TEST_PASSWORD, type SignedIn } from './factories.ts';

/** The code an authenticator app shows for this secret at the app's clock (`otpauth`, as a phone computes it). */
export function codeAt(secret: string, at: Date): string {
  return new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
    timestamp: at.getTime(),
  });
}

/** The next 30-second step: a code there is newer than any accepted before. */
export const nextStep = (t: TestApp) => t.clock.advance(30_000);

/** Turns two-step verification on for a signed-in admin through the API; the secret and the codes. */
export async function enrol(t: TestApp, session: SignedIn) {
  const client = createClient(t.app).with({ prefix: '/api/console', as: session });
  const started = await client.post('/session/mfa/totp');
  if (started.status !== 200) throw new Error(`enrol: ${started.status} ${started.body}`);
  const secret: string = started.json.secret;
  const confirmed = await client.post('/session/mfa/totp/confirm', { code: codeAt(secret, t.clock.now()) });
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${confirmed.body}`);
  return { secret, recoveryCodes: confirmed.json.recoveryCodes as string[], otpauthUrl: started.json.otpauthUrl };
}

/** The first step of a sign-in: the pending sign-in's cookie header (and the answer). */
export async function startSignIn(t: TestApp, email: string, remoteAddress?: string) {
  const response = await createClient(t.app).post(
    '/api/console/session',
    { email, password: TEST_PASSWORD },
    remoteAddress ? { remoteAddress } : {},
  );
  const cookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return { response, cookie, headers: { cookie } };
}

/** Both steps: a signed-in session of a person with two-step verification on. */
export async function signInWithCode(t: TestApp, email: string, secret: string): Promise<SignedIn> {
  const { cookie } = await startSignIn(t, email);
  nextStep(t);
  const response = await createClient(t.app).post<TSessionResponse>(
    '/api/console/session/mfa',
    { code: codeAt(secret, t.clock.now()) },
    { headers: { cookie } },
  );
  if (response.status !== 200) throw new Error(`second step: ${response.status} ${response.body}`);
  const newCookie = response.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  return {
    ...response.json,
    cookie: newCookie,
    headers: { cookie: newCookie, 'x-csrf-token': response.json.csrfToken },
  };
}
