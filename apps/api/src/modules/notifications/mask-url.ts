/** A path segment shown as it is: short, and not number-like (ids and tokens are masked). */
const PLAIN_SEGMENT = /^(?=(?:[^0-9]*[0-9]){0,2}[^0-9]*$)[A-Za-z0-9._~-]{1,16}$/;

/**
 * A webhook URL as the audit log and channel lists show it: scheme, host and the plain path
 * segments, with user info dropped and token-like segments and the query replaced by `…`
 * (receivers such as Slack and Teams put their token there). The full URL is shown once, when
 * the channel is added.
 */
export function maskUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '…';
  }
  const path = parsed.pathname
    .split('/')
    .map((segment) => (segment === '' || PLAIN_SEGMENT.test(segment) ? segment : '…'))
    .join('/');
  return `${parsed.protocol}//${parsed.host}${path}${parsed.search ? '?…' : ''}`;
}

/**
 * A Slack or Teams URL after creation: the URL is the credential (whoever has it can post), so
 * only `<scheme>://<host>[:<port>]/…` and its last 4 characters are ever shown
 * (`https://hooks.slack.com/…Xy7Q`): enough to tell two channels apart, not to post.
 */
export function maskChatUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '…';
  }
  return `${parsed.protocol}//${parsed.host}/…${url.slice(-4)}`;
}
