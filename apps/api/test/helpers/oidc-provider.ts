import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/** A person at the test identity provider. */
interface IdpUser {
  email?: string;
  email_verified?: boolean;
  /** Sent under the provider's groups claim name. */
  groups?: string[] | string;
  name?: string;
}

interface TestIdpOptions {
  /** Where the product's callback is (`<PUBLIC_URL>/api/console/sso/callback`). */
  redirectUri: string;
  /** The name of the groups claim (default `groups`). */
  groupsClaim?: string;
  /** false: email and groups only from UserInfo, as many providers do; true (default): in the ID token too. */
  claimsInIdToken?: boolean;
}

/**
 * A real OpenID Provider on 127.0.0.1 (oidc-provider, the certified provider library) for the
 * API tests and the e2e tests: one confidential client for the product (client_secret_basic,
 * PKCE required), users with email and groups that a test may change between sign-ins, and a
 * plain login page ("Username", "Sign in", "Cancel") a browser or `signIn` below goes through.
 */
export async function startTestIdp(options: TestIdpOptions) {
  const users = new Map<string, IdpUser>();
  const groupsClaim = options.groupsClaim ?? 'groups';
  const clientId = `product-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-key-1', use: 'sig', alg: 'RS256' };

  let handle: http.RequestListener = () => undefined;
  const server = http.createServer((request, response) => handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', groupsClaim] },
    conformIdTokenClaims: options.claimsInIdToken === false,
    pkce: { required: () => true },
    ttl: { AccessToken: 600, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600, AuthorizationCode: 60 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    // Consent is taken as given: only the login step is interactive.
    async loadExistingGrant(ctx: { oidc: { client: { clientId: string }; session: { accountId: string } } }) {
      const grant = new provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
    async findAccount(_ctx: unknown, id: string) {
      const user = users.get(id);
      if (!user) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          ...(user.email !== undefined && { email: user.email }),
          ...(user.email_verified !== undefined && { email_verified: user.email_verified }),
          ...(user.name !== undefined && { name: user.name }),
          ...(user.groups !== undefined && { [groupsClaim]: user.groups }),
        }),
      };
    },
  });
  const oidcCallback = provider.callback();

  handle = (request, response) => {
    const url = new URL(request.url ?? '/', issuer);
    const interaction = url.pathname.match(/^\/interaction\/([^/]+)(\/login|\/abort)?$/);
    if (!interaction) return oidcCallback(request, response);
    void handleInteraction(request, response, interaction[2]).catch((error: unknown) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  };

  async function handleInteraction(request: http.IncomingMessage, response: http.ServerResponse, action?: string) {
    const details = await provider.interactionDetails(request, response);
    if (action === '/abort') {
      return provider.interactionFinished(request, response, {
        error: 'access_denied',
        error_description: 'cancelled',
      });
    }
    if (action === '/login') {
      const username = new URLSearchParams(await readBody(request)).get('username') ?? '';
      if (!users.has(username)) return loginPage(response, details.uid, 'Unknown user.');
      return provider.interactionFinished(request, response, { login: { accountId: username } });
    }
    return loginPage(response, details.uid);
  }

  return {
    issuer,
    clientId,
    clientSecret,
    /** Adds or replaces a user; the id is the `sub` and what is typed as "Username". */
    setUser: (id: string, user: IdpUser) => users.set(id, user),
    /**
     * Goes through the provider as a browser would from the authorization URL: logs in as
     * `username` (or presses "Cancel") and returns the URL the provider sends back to the product.
     */
    signIn: (authorizationUrl: string, username: string, { cancel = false } = {}) =>
      followAsBrowser(authorizationUrl, username, cancel, options.redirectUri),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type TestIdp = Awaited<ReturnType<typeof startTestIdp>>;

function loginPage(response: http.ServerResponse, uid: string, error?: string) {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  response.end(`<!doctype html><html lang="en"><head><title>Test identity provider</title></head><body>
<h1>Test identity provider</h1>${error ? `<p role="alert">${error}</p>` : ''}
<form method="post" action="/interaction/${uid}/login">
<label>Username <input name="username" autocomplete="off"></label>
<button type="submit">Sign in</button></form>
<form method="post" action="/interaction/${uid}/abort"><button type="submit">Cancel</button></form>
</body></html>`);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/** Redirects followed by hand with a cookie jar, up to the product's redirect URI. */
async function followAsBrowser(start: string, username: string, cancel: boolean, redirectUri: string) {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: {
        ...(init.headers as Record<string, string>),
        cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return response;
  };
  let url = start;
  for (let hops = 0; hops < 10; hops++) {
    if (url.startsWith(redirectUri)) return url;
    const interaction = new URL(url).pathname.match(/^\/interaction\/[^/]+$/);
    const response = interaction
      ? await send(`${url}/${cancel ? 'abort' : 'login'}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username }).toString(),
        })
      : await send(url);
    const location = response.headers.get('location');
    if (!location)
      throw new Error(`the identity provider answered ${response.status} at ${url}: ${await response.text()}`);
    url = new URL(location, url).href;
  }
  throw new Error('too many redirects at the identity provider');
}
