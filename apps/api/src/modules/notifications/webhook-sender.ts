import { createHmac } from 'node:crypto';
import { Agent, fetch } from 'undici';
import { isPrivateUrl, publicOnlyLookup } from '../../lib/public-address.ts';
import { PrivateAddressError, plainError } from './delivery-errors.ts';

/** The rule for private receivers lives in lib/public-address.ts, shared with single sign-on. */
export { isPrivateUrl };

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 of "id.timestamp.body" keyed with the secret's decoded bytes. */
function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

export interface WebhookResult {
  ok: boolean;
  responseStatus: number | null;
  error: string | null;
}

export function createWebhookSender({ timeoutMs, allowPrivate }: { timeoutMs: number; allowPrivate: boolean }) {
  const dispatcher = new Agent({
    connect: {
      timeout: timeoutMs,
      ...(allowPrivate ? {} : { lookup: publicOnlyLookup(() => new PrivateAddressError()) }),
    },
  });

  /** One signed attempt (Standard Webhooks), given up when `signal` aborts (the attempt's deadline, or shutdown). */
  function send(
    args: { url: string; secret: string; id: string; timestamp: number; body: string },
    signal: AbortSignal,
  ): Promise<WebhookResult> {
    return post(
      args.url,
      args.body,
      {
        'webhook-id': args.id,
        'webhook-timestamp': String(args.timestamp),
        'webhook-signature': signWebhook(args.secret, args.id, args.timestamp, args.body),
      },
      signal,
    );
  }

  /** A Slack or Teams incoming webhook: the same rules, no signature (neither service checks one). */
  function sendUnsigned(args: { url: string; body: string }, signal: AbortSignal): Promise<WebhookResult> {
    return post(args.url, args.body, {}, signal);
  }

  async function post(
    url: string,
    body: string,
    extraHeaders: Record<string, string>,
    signal: AbortSignal,
  ): Promise<WebhookResult> {
    if (!allowPrivate && isPrivateUrl(url)) {
      return { ok: false, responseStatus: null, error: new PrivateAddressError().message };
    }
    try {
      const response = await fetch(url, {
        method: 'POST',
        dispatcher,
        redirect: 'manual',
        signal,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'license-registration-webhooks/1',
          ...extraHeaders,
        },
        body,
      });
      await response.body?.cancel();
      if (response.status >= 200 && response.status < 300)
        return { ok: true, responseStatus: response.status, error: null };
      const redirect = response.status >= 300 && response.status < 400;
      return {
        ok: false,
        responseStatus: response.status,
        error: `HTTP ${response.status}${redirect ? ' (a redirect, not followed)' : ''}`,
      };
    } catch (error) {
      return { ok: false, responseStatus: null, error: plainError(error) };
    }
  }

  return { send, sendUnsigned, close: () => dispatcher.close() };
}

export type WebhookSender = ReturnType<typeof createWebhookSender>;
