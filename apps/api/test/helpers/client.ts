import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import type { SignedIn } from './factories.ts';

/**
 * The one way tests call the API: a typed client over `app.inject` (no sockets). Each call says
 * who it is (`as`: a signed-in admin's session, a bearer token or a product's credential), and
 * answers the status, the headers and the JSON body, typed by the caller where it matters.
 */

/** Who sends the request: a session (cookie and CSRF token), or a bearer token (API client or product). */
export type Who = SignedIn | { token: string } | { credential: string };

export interface CallOptions {
  as?: Who;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  remoteAddress?: string;
}

// Test bodies are read field by field; a caller that wants a checked shape names it: get<TRegistration>(…).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyJson = any;

export interface Reply<T = AnyJson> {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
  /** The body parsed as JSON (undefined when it is not JSON: a CSV, an empty 204). */
  json: T;
  cookies: LightMyRequestResponse['cookies'];
}

function headersOf(who: Who | undefined): Record<string, string> {
  if (!who) return {};
  if ('token' in who) return { authorization: `Bearer ${who.token}` };
  if ('credential' in who) return { authorization: `Bearer ${who.credential}` };
  return who.headers;
}

function withQuery(path: string, query: CallOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}${path.includes('?') ? '&' : '?'}${text}` : path;
}

function parse(body: string, type: string | undefined): unknown {
  if (!type?.includes('json') || body === '') return undefined;
  return JSON.parse(body);
}

export interface TestClient {
  get<T = AnyJson>(path: string, options?: CallOptions): Promise<Reply<T>>;
  delete<T = AnyJson>(path: string, body?: unknown, options?: CallOptions): Promise<Reply<T>>;
  post<T = AnyJson>(path: string, body?: unknown, options?: CallOptions): Promise<Reply<T>>;
  put<T = AnyJson>(path: string, body?: unknown, options?: CallOptions): Promise<Reply<T>>;
  patch<T = AnyJson>(path: string, body?: unknown, options?: CallOptions): Promise<Reply<T>>;
  /** Any method, for tests that go over many routes (every console route, every change). */
  send<T = AnyJson>(method: string, path: string, body?: unknown, options?: CallOptions): Promise<Reply<T>>;
  /** The same client with defaults: a path prefix (`/api/console`) and who calls. */
  with(defaults: { prefix?: string; as?: Who }): TestClient;
}

export function createClient(app: FastifyInstance, defaults: { prefix?: string; as?: Who } = {}): TestClient {
  async function send<T>(method: InjectOptions['method'], path: string, body: unknown, options: CallOptions = {}) {
    const response = await app.inject({
      method,
      url: withQuery(`${defaults.prefix ?? ''}${path}`, options.query),
      headers: { ...headersOf(options.as ?? defaults.as), ...options.headers },
      ...(body !== undefined && { payload: body as InjectOptions['payload'] }),
      ...(options.remoteAddress && { remoteAddress: options.remoteAddress }),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      json: parse(response.body, response.headers['content-type']?.toString()) as T,
      cookies: response.cookies,
    } satisfies Reply<T>;
  }
  return {
    get: (path, options) => send('GET', path, undefined, options),
    delete: (path, body, options) => send('DELETE', path, body, options),
    post: (path, body, options) => send('POST', path, body, options),
    put: (path, body, options) => send('PUT', path, body, options),
    patch: (path, body, options) => send('PATCH', path, body, options),
    send: (method, path, body, options) => send(method as InjectOptions['method'], path, body, options),
    with: (more) => createClient(app, { ...defaults, ...more }),
  };
}

/** Every item of a paged console list, following nextCursor to the end. */
export async function allPages<T>(client: TestClient, path: string, options: CallOptions = {}): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get<{ items: T[]; nextCursor?: string | null }>(path, {
      ...options,
      query: { ...options.query, cursor },
    });
    if (page.status !== 200) throw new Error(`GET ${path}: ${page.status} ${page.body}`);
    items.push(...page.json.items);
    cursor = page.json.nextCursor ?? undefined;
  } while (cursor);
  return items;
}
