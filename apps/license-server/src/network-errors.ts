/**
 * Turns the errors fetch throws into what an administrator can act on: DNS, refused,
 * timed out, TLS or proxy. undici wraps the real reason in `cause` (sometimes twice),
 * so the whole chain is searched for a code.
 */
export type NetworkErrorKind = 'dns' | 'refused' | 'timeout' | 'tls' | 'proxy' | 'reset' | 'other';

export interface NetworkProblem {
  kind: NetworkErrorKind;
  /** The lowest-level error code found (ENOTFOUND, CERT_HAS_EXPIRED…), if any. */
  code: string | undefined;
  /** One phrase for people: "DNS lookup failed for cloud.example.com (ENOTFOUND)". */
  description: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ENETUNREACH', 'EHOSTUNREACH']);
// Node's TLS layer reports certificate problems with OpenSSL's names, not an E-code.
const TLS_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME_MISMATCH/;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  cause?: unknown;
}

function chainOf(error: unknown): ErrorLike[] {
  const chain: ErrorLike[] = [];
  let current: unknown = error;
  while (current && typeof current === 'object' && chain.length < 6) {
    chain.push(current as ErrorLike);
    current = (current as ErrorLike).cause;
  }
  return chain;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/**
 * @param proxyHost the host name of the proxy in use, so that "refused" or "not found"
 *   for the proxy itself is reported as a proxy problem rather than a cloud problem.
 */
export function classifyNetworkError(error: unknown, proxyHost?: string): NetworkProblem {
  const chain = chainOf(error);
  const codes = chain.map((e) => str(e.code)).filter((c): c is string => c !== undefined);
  const code = codes.at(-1);
  const messages = chain.map((e) => str(e.message) ?? '').join(' | ');
  const where = chain.map((e) => str(e.hostname) ?? str(e.address)).find((h) => h !== undefined);
  const atProxy = proxyHost !== undefined && where !== undefined && where === proxyHost;
  const suffix = code ? ` (${code})` : '';

  // undici reports a proxy's refusal of CONNECT (407, 403, 502…) only in the message, as an
  // AbortError: so this comes before the time-out test.
  if (/Proxy Authentication Required|Proxy response \(\d+\)|proxy/i.test(messages) && !atProxy) {
    const status = /\((\d{3})\)/.exec(messages)?.[1];
    const why =
      status === '407'
        ? 'the proxy requires authentication (407)'
        : `the proxy refused the connection${status ? ` (${status})` : ''}`;
    return { kind: 'proxy', code: code ?? (status ? `HTTP_${status}` : undefined), description: why };
  }
  if (
    chain.some((e) => e.name === 'TimeoutError' || e.name === 'AbortError') ||
    codes.some((c) => TIMEOUT_CODES.has(c))
  ) {
    return { kind: 'timeout', code, description: `timed out${atProxy ? ' connecting to the proxy' : ''}${suffix}` };
  }
  if (codes.some((c) => DNS_CODES.has(c))) {
    const host = where ? ` for ${where}` : '';
    if (atProxy) return { kind: 'proxy', code, description: `DNS lookup failed for the proxy ${where}${suffix}` };
    return { kind: 'dns', code, description: `DNS lookup failed${host}${suffix}` };
  }
  if (codes.includes('ECONNREFUSED')) {
    const port = chain.map((e) => e.port).find((p) => typeof p === 'number' || typeof p === 'string');
    const address = where ? `${where}${port !== undefined ? `:${String(port)}` : ''}` : '';
    if (atProxy) {
      return {
        kind: 'proxy',
        code,
        description: `connection refused by the proxy${address && ` at ${address}`}${suffix}`,
      };
    }
    return { kind: 'refused', code, description: `connection refused${address && ` by ${address}`}${suffix}` };
  }
  if (codes.some((c) => TLS_CODE.test(c)) || /certificate|SSL|TLS/i.test(messages)) {
    return { kind: 'tls', code, description: `TLS error: ${lastMessage(chain)}${suffix}` };
  }
  if (codes.some((c) => RESET_CODES.has(c))) {
    return { kind: 'reset', code, description: `connection lost: ${lastMessage(chain)}${suffix}` };
  }
  return { kind: 'other', code, description: `${lastMessage(chain)}${suffix}` };
}

function lastMessage(chain: ErrorLike[]): string {
  for (let i = chain.length - 1; i >= 0; i--) {
    const message = str(chain[i]?.message);
    if (message) return message;
  }
  return 'unknown network error';
}
