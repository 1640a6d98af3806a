import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { createTestApp, type TestApp } from './app.ts';
import { createSignedInAdmin, type SignedIn } from './factories.ts';
import { startTestIdp, type TestIdp } from './oidc-provider.ts';

export const SSO_CALLBACK = '/api/console/sso/callback';

/** A domain no other test file uses: domains are one customer's service-wide. */
export const uniqueDomain = () => `sso-${randomUUID().slice(0, 8)}.example.com`;

/** Single sign-on set up for the signed-in admin's customer, through the API. */
export async function configureSso(t: TestApp, as: SignedIn, idp: TestIdp, settings: Record<string, unknown>) {
  const response = await t.client.put(
    '/api/console/settings/sso',
    { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, ...settings },
    { as },
  );
  if (response.status !== 200) throw new Error(`SSO settings refused: ${response.status} ${response.body}`);
  return response.json;
}

/** A test app and a test identity provider that sends the browser back to the app's callback. */
async function startSsoTestApp(): Promise<{ t: TestApp; idp: TestIdp }> {
  const t = await createTestApp();
  const idp = await startTestIdp({ redirectUri: `${t.config.PUBLIC_URL}${SSO_CALLBACK}` });
  return { t, idp };
}

interface SsoCustomer {
  owner: SignedIn;
  customerId: string;
  domain: string;
}

/** A customer with a full admin (password) and single sign-on set up through the API. */
async function customerWithSso(t: TestApp, idp: TestIdp, settings: Record<string, unknown> = {}): Promise<SsoCustomer> {
  const { admin, session } = await createSignedInAdmin(t.app, t.db);
  const domain = uniqueDomain();
  await configureSso(t, session, idp, {
    emailDomains: [domain],
    fullAdminGroups: ['console-admins'],
    readOnlyGroups: ['console-readers'],
    justInTime: true,
    ...settings,
  });
  return { owner: session, customerId: admin.customerId, domain };
}

/**
 * A single sign-on test file's fixture: a test app and identity provider started before its tests
 * and closed after, and what its tests ask of them (read `t` and `idp` inside tests and hooks).
 */
export function ssoSuite() {
  const started: { t?: TestApp; idp?: TestIdp } = {};
  beforeAll(async () => {
    Object.assign(started, await startSsoTestApp());
  }, 60_000);
  afterAll(async () => {
    await started.idp?.close();
    await started.t?.app.close();
  });
  const suite = {
    get t() {
      return started.t!;
    },
    get idp() {
      return started.idp!;
    },
    setUp: (settings: Record<string, unknown> = {}) => customerWithSso(suite.t, suite.idp, settings),
    user: () => `user-${randomUUID().slice(0, 8)}`,
    /** The clock stands still in tests: events are told apart by whom they name. */
    auditOf: (customerId: string, action: string, targetLabel?: string) =>
      suite.t.db.auditEvent.findMany({ where: { customerId, action, ...(targetLabel && { targetLabel }) } }),
    membership: (customerId: string, email: string) =>
      suite.t.db.admin.findFirst({ where: { customerId, person: { email } }, include: { person: true } }),
  };
  return suite;
}

interface SsoAttempt {
  /** Where the callback sent the browser. */
  location: string;
  /** The session cookie set by a successful sign-in, ready for `as`-style headers. */
  cookie: string | null;
}

/**
 * The whole browser round trip: /sso/start, the provider's login as `username`, and the callback
 * with the binding cookie the start set. `tamper` changes the callback URL before it is sent.
 */
export async function ssoSignIn(
  t: TestApp,
  idp: TestIdp,
  email: string,
  username: string,
  options: { cancel?: boolean; redirectTo?: string; tamper?: (callback: URL) => void; dropBinding?: boolean } = {},
): Promise<SsoAttempt> {
  const start = await t.app.inject({
    method: 'GET',
    url: '/api/console/sso/start',
    query: { email, ...(options.redirectTo !== undefined && { redirectTo: options.redirectTo }) },
  });
  if (start.statusCode !== 302) throw new Error(`start answered ${start.statusCode}: ${start.body}`);
  const location = String(start.headers.location);
  if (location.startsWith('/sign-in')) return { location, cookie: null };
  const binding = start.cookies.find((c) => c.name === 'sso-binding');
  const back = new URL(await idp.signIn(location, username, { cancel: options.cancel ?? false }));
  options.tamper?.(back);
  const callback = await t.app.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: binding && !options.dropBinding ? { cookie: `sso-binding=${binding.value}` } : {},
  });
  if (callback.statusCode !== 302) throw new Error(`callback answered ${callback.statusCode}: ${callback.body}`);
  const session = callback.cookies.find((c) => c.name === 'session' && c.value);
  return { location: String(callback.headers.location), cookie: session ? `session=${session.value}` : null };
}
