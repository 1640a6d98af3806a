import { createHmac } from 'node:crypto';
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, fetch } from 'undici';
import { PrivateAddressError, plainError } from './delivery-errors.ts';

/**
 * Only public unicast addresses: loopback, private, link-local (cloud metadata at
 * 169.254.169.254), CGNAT, unique-local and the like are refused when private receivers are
 * not allowed (SSRF). ipaddr.js knows the special ranges of both families.
 */
function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** At creation: a literal address or `localhost` in the URL (a name is checked again, resolved, at send time). */
export function isPrivateUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && !isPublicAddress(host);
}

/**
 * The resolved address is checked inside the connection's own look-up, so the address
 * checked is the one connected to (a name that resolves differently a moment later - DNS
 * rebinding - gains nothing).
 */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 4);
    if (addresses.some((a) => !isPublicAddress(a.address))) return callback(new PrivateAddressError(), '', 4);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
    const first = addresses[0]!;
    return callback(null, first.address, first.family);
  });
};

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
    connect: { timeout: timeoutMs, ...(allowPrivate ? {} : { lookup: publicOnlyLookup }) },
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
