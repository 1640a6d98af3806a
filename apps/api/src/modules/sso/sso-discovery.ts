import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch } from 'undici';
import type { Clock } from '../../lib/clock.ts';
import { AppError } from '../../lib/errors.ts';
import { isPrivateUrl, publicOnlyLookup } from '../../lib/public-address.ts';

/**
 * Talking to a customer's identity provider goes through openid-client (the certified
 * relying-party library): discovery, the code exchange, ID token checks, UserInfo. This file
 * only gives it a fetch that keeps to the rule for private addresses, a time limit, and a cache
 * of the discovered configuration (the keys are cached inside it: an unknown `kid` re-fetches).
 */
interface IdpClient {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

class PrivateIssuerError extends Error {
  constructor() {
    super('the issuer is on a loopback or private address, which this service does not call');
  }
}

interface Deps {
  clock: Clock;
  allowPrivate: boolean;
  timeoutMs: number;
  /** How long a discovered configuration (and the keys inside it) is used before asking again. */
  cacheMs?: number;
}

export function createSsoDiscovery({ clock, allowPrivate, timeoutMs, cacheMs = 3600_000 }: Deps) {
  const dispatcher = new Agent({
    connect: {
      timeout: timeoutMs,
      ...(allowPrivate ? {} : { lookup: publicOnlyLookup(() => new PrivateIssuerError()) }),
    },
  });
  const guardedFetch: oidc.CustomFetch = async (url, options) => {
    if (!allowPrivate && isPrivateUrl(url)) throw new PrivateIssuerError();
    // Redirects are not followed: a redirect could lead the request somewhere the rule refuses.
    const response = await undiciFetch(url, { ...options, dispatcher, redirect: 'manual' } as never);
    return response as unknown as Response;
  };
  const cache = new Map<string, { at: number; configuration: Promise<oidc.Configuration> }>();

  /** Fetches and checks the discovery document now; 400 sso_discovery_failed saying what failed. */
  async function discover(client: IdpClient): Promise<oidc.Configuration> {
    let configuration: oidc.Configuration;
    try {
      configuration = await oidc.discovery(
        new URL(client.issuer),
        client.clientId,
        undefined,
        oidc.ClientSecretBasic(client.clientSecret),
        {
          [oidc.customFetch]: guardedFetch,
          timeout: Math.ceil(timeoutMs / 1000),
          execute: client.issuer.startsWith('http:') ? [oidc.allowInsecureRequests] : [],
        },
      );
    } catch (error) {
      throw new AppError('sso_discovery_failed', `The discovery document could not be used: ${describe(error)}.`);
    }
    const metadata = configuration.serverMetadata();
    const problem =
      metadata.issuer !== client.issuer
        ? `its issuer is "${String(metadata.issuer).slice(0, 200)}", not exactly the issuer given`
        : !metadata.authorization_endpoint
          ? 'it has no authorization_endpoint'
          : !metadata.token_endpoint
            ? 'it has no token_endpoint'
            : !metadata.jwks_uri
              ? 'it has no jwks_uri'
              : metadata.code_challenge_methods_supported && !metadata.code_challenge_methods_supported.includes('S256')
                ? 'its code_challenge_methods_supported lacks S256'
                : null;
    if (problem) throw new AppError('sso_discovery_failed', `The discovery document could not be used: ${problem}.`);
    return configuration;
  }

  /** The configuration for signing in: discovered at most once an hour per client. */
  function configurationFor(client: IdpClient): Promise<oidc.Configuration> {
    const key = JSON.stringify([client.issuer, client.clientId, client.clientSecret]);
    const now = clock.now().getTime();
    const cached = cache.get(key);
    if (cached && now - cached.at < cacheMs) return cached.configuration;
    const configuration = discover(client);
    cache.set(key, { at: now, configuration });
    // A failure is not kept: the next sign-in asks again.
    configuration.catch(() => cache.delete(key));
    if (cache.size > 1000) cache.delete(cache.keys().next().value!);
    return configuration;
  }

  return { discover, configurationFor, close: () => dispatcher.close() };
}

export type SsoDiscovery = ReturnType<typeof createSsoDiscovery>;

/** Why a request to the IdP failed, in words for the admin who typed the issuer. */
export function describe(error: unknown): string {
  const parts: string[] = [];
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    if (current instanceof PrivateIssuerError) return current.message;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return 'no answer within the time limit';
    parts.push(current.message);
    current = (current as { cause?: unknown }).cause;
  }
  return (parts.join(': ') || 'unknown error').slice(0, 300);
}
