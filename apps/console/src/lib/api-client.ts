import { isErrorCode, type TErrorCode } from '@reg/contracts/error-codes';
import type { z } from 'zod';

/** The API's codes, and the two the console gives when no error body came back. */
type TConsoleErrorCode = TErrorCode | 'network_error' | 'unexpected_response';

/**
 * What a response is parsed with: a contracts schema, or a function loading one. The loader
 * is for what the first page asks (the session probe, the sign-in), so zod is not part of
 * the entry chunk and the sign-in page paints without it (the page budgets in docs/design.md).
 */
type ResponseSchema<T> = z.ZodType<T> | (() => Promise<z.ZodType<T>>);

/** Every non-2xx answer, typed: components decide what to show or where to go. */
export class ApiError extends Error {
  readonly status: number;
  readonly error: TConsoleErrorCode;
  readonly details: unknown;
  /** Seconds to wait, from the Retry-After header (429), else null. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    error: TConsoleErrorCode;
    message: string;
    details?: unknown;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.error = init.error;
    this.details = init.details;
    this.retryAfter = init.retryAfter ?? null;
  }
}

export function isApiError(value: unknown, code?: TConsoleErrorCode): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.error === code);
}

// The session's CSRF token lives in memory only; GET /api/console/session restores it after a reload.
let csrfToken: string | null = null;
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Query = Record<string, string | number | undefined | null>;

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Files to upload (multipart/form-data; the browser sets the boundary). */
  form?: FormData;
  signal?: AbortSignal;
}

function buildUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

function parseRetryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.ceil(seconds));
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('Retry-After'));
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): fall through to a generic error.
  }
  // Loaded here, not at the top, for the same reason as ResponseSchema's loader.
  const parsed = await import('@reg/contracts/common').then(
    ({ ZErrorBody }) => ZErrorBody.safeParse(body),
    () => null, // the chunk would not load either (the server is down): a generic error below
  );
  if (parsed?.success) {
    // A code this console does not know (a newer server): its message is still shown.
    const { error, ...rest } = parsed.data;
    const code = isErrorCode(error) ? error : 'unexpected_response';
    return new ApiError({ status: response.status, ...rest, error: code, retryAfter });
  }
  return new ApiError({
    status: response.status,
    error: response.status >= 500 ? 'unavailable' : 'unexpected_response',
    message: `The server answered ${response.status}.`,
    retryAfter,
  });
}

async function request<T>(
  method: string,
  path: string,
  schema: ResponseSchema<T> | null,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ status: 0, error: 'network_error', message: 'The server could not be reached.' });
  }

  if (!response.ok) throw await toApiError(response);
  if (schema === null || response.status === 204) return undefined as T;
  const json: unknown = await response.json();
  return (typeof schema === 'function' ? await schema() : schema).parse(json);
}

export const api = {
  get: <T>(path: string, schema: ResponseSchema<T>, options?: RequestOptions) => request('GET', path, schema, options),
  post: <T>(path: string, schema: ResponseSchema<T> | null, options?: RequestOptions) =>
    request('POST', path, schema, options),
  patch: <T>(path: string, schema: ResponseSchema<T> | null, options?: RequestOptions) =>
    request('PATCH', path, schema, options),
  put: <T>(path: string, schema: ResponseSchema<T> | null, options?: RequestOptions) =>
    request('PUT', path, schema, options),
  delete: <T>(path: string, schema: ResponseSchema<T> | null, options?: RequestOptions) =>
    request('DELETE', path, schema, options),
};
