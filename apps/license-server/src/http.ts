import { EnvHttpProxyAgent, ProxyAgent, type Dispatcher } from 'undici';

/**
 * How requests leave this server: through `--proxy`, else through the proxy the
 * environment names (HTTPS_PROXY/HTTP_PROXY, minus NO_PROXY), else directly.
 */
export interface Transport {
  dispatcher: Dispatcher;
  /** The proxy URL that applies to the cloud URL, or null when requests go direct. */
  proxy: { url: string; source: string } | null;
}

/** A URL with any user name and password replaced, safe to print or log. */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = parsed.username ? '***' : '';
      parsed.password = parsed.password ? '***' : '';
    }
    return parsed.toString().replace(/\/$/, '');
  } catch {
    // Not a URL we can parse: it may still hold a password, so show nothing of it.
    return '<unparseable proxy URL>';
  }
}

function envValue(...names: string[]): { value: string; name: string } | null {
  for (const name of names) {
    const value = process.env[name];
    if (value) return { value, name };
  }
  return null;
}

/** EnvHttpProxyAgent's NO_PROXY rules, repeated so that `check` can say which proxy is used. */
function bypassesProxy(target: URL, noProxy: string): boolean {
  if (noProxy.trim() === '*') return true;
  const host = target.hostname.toLowerCase();
  const port = Number(target.port) || (target.protocol === 'https:' ? 443 : 80);
  return noProxy
    .split(/[,\s]/)
    .filter(Boolean)
    .some((entry) => {
      const match = /^(.+):(\d+)$/.exec(entry);
      const entryHost = (match?.[1] ?? entry).replace(/^\*?\./, '').toLowerCase();
      if (match?.[2] && Number(match[2]) !== port) return false;
      return host === entryHost || host.endsWith(`.${entryHost}`);
    });
}

export function createTransport(cloudUrl: string, explicitProxy?: string): Transport {
  if (explicitProxy) {
    return { dispatcher: new ProxyAgent(explicitProxy), proxy: { url: explicitProxy, source: '--proxy' } };
  }
  // Read once here and handed to undici, so what `check` prints is what is really used.
  const httpProxy = envValue('http_proxy', 'HTTP_PROXY');
  const httpsProxy = envValue('https_proxy', 'HTTPS_PROXY') ?? httpProxy;
  const noProxy = process.env.no_proxy || process.env.NO_PROXY || '';
  const dispatcher = new EnvHttpProxyAgent({
    httpProxy: httpProxy?.value ?? '',
    httpsProxy: httpsProxy?.value ?? '',
    noProxy,
  });
  const target = new URL(cloudUrl);
  const applies = target.protocol === 'https:' ? httpsProxy : httpProxy;
  const proxy = applies && !bypassesProxy(target, noProxy) ? { url: applies.value, source: applies.name } : null;
  return { dispatcher, proxy };
}

export function describeProxy(transport: Transport): string {
  if (!transport.proxy) return 'none (direct connection)';
  return `${maskUrl(transport.proxy.url)} (from ${transport.proxy.source})`;
}

export function proxyHost(transport: Transport): string | undefined {
  if (!transport.proxy) return undefined;
  try {
    return new URL(transport.proxy.url).hostname;
  } catch {
    return undefined;
  }
}
