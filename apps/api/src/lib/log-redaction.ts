import type { FastifyRequest } from 'fastify';

/**
 * Query parameters whose values are secrets or live codes: the verification link carries
 * `?code=`, and a client may put a token or secret in a query by mistake. Their values never
 * reach the request log.
 */
const SECRET_PARAMS =
  /^(code|user_code|poll_?token|token|access_token|refresh_token|id_token|credential|client_secret|secret|password|csrf_?token)$/i;

const REDACTED = '[REDACTED]';

/** The URL with the values of secret query parameters replaced; the path stays as it came. */
function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const query = url
    .slice(q + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A name that is not valid percent-encoding is logged as it came; it is no known secret.
      }
      return eq >= 0 && SECRET_PARAMS.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, q)}?${query}`;
}

/** Fastify's own request serializer (method, url, host, addresses), with the URL redacted. */
export function serializeRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
