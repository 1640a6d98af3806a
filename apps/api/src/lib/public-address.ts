import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The rule for every request the service makes to an address an admin typed (webhook
 * receivers, single sign-on issuers): only public unicast addresses, unless the operator allows
 * private ones (WEBHOOK_ALLOW_PRIVATE). Loopback, private, link-local (cloud metadata at
 * 169.254.169.254), CGNAT, unique-local and the like are refused (SSRF). ipaddr.js knows the
 * special ranges of both families.
 */
function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** Before connecting: a literal address or `localhost` in the URL (a name is checked again, resolved, at connect time). */
export function isPrivateUrl(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isIP(host) !== 0 && !isPublicAddress(host);
}

/**
 * A connection look-up that refuses private addresses. The resolved address is checked inside
 * the connection's own look-up, so the address checked is the one connected to (a name that
 * resolves differently a moment later - DNS rebinding - gains nothing).
 */
export function publicOnlyLookup(refusal: () => Error): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 4);
      if (addresses.some((a) => !isPublicAddress(a.address))) return callback(refusal(), '', 4);
      if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}
