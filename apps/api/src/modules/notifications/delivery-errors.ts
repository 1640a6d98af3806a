/**
 * Why an attempt failed, in plain words for the deliveries log: admins see "connection
 * refused" or "name not found", never errno codes, resolved addresses or ports (they would
 * map the network the service sits in).
 */
const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  ENOTFOUND: 'name not found',
  EAI_AGAIN: 'name not found',
  EAI_NODATA: 'name not found',
  EAI_NONAME: 'name not found',
  ETIMEDOUT: 'timed out',
  ESOCKETTIMEDOUT: 'timed out',
  UND_ERR_CONNECT_TIMEOUT: 'timed out',
  UND_ERR_HEADERS_TIMEOUT: 'timed out',
  UND_ERR_BODY_TIMEOUT: 'timed out',
  UND_ERR_SOCKET: 'connection closed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAUTH: 'the mail server refused the sign-in',
  EENVELOPE: 'the mail server refused the address',
  EMESSAGE: 'the mail server refused the message',
};

export class PrivateAddressError extends Error {
  constructor() {
    super('private address, not allowed');
  }
}

/** The first cause in the chain that says something we know, else a word that gives nothing away. */
export function plainError(error: unknown): string {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof PrivateAddressError) return cause.message;
    const { name, code, responseCode, message } = cause as {
      name?: string;
      code?: string;
      responseCode?: number;
      message?: string;
    };
    if (name === 'TimeoutError' || name === 'AbortError') return 'timed out';
    if (typeof responseCode === 'number' && responseCode >= 400) return `mail server answered ${responseCode}`;
    if (code && BY_CODE[code]) return BY_CODE[code];
    if (
      (code && /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(code)) ||
      /\bTLS\b|SSL/i.test(message ?? '')
    )
      return 'TLS error';
    if (message && /greeting|timeout/i.test(message)) return 'timed out';
    cause = (cause as { cause?: unknown }).cause;
  }
  return 'could not connect';
}
