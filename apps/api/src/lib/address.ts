import { isIPv6 } from 'node:net';

/** The key a source address is counted under: IPv6 addresses count per /64. */
export function addressKey(address: string): string {
  return prefixKey(address, 4);
}

/**
 * The wider network an IPv6 address is also counted under, its /48 (a site: one holder can
 * send from 65,536 /64s of it); null for IPv4.
 */
export function networkKey(address: string): string | null {
  const key = prefixKey(address, 3);
  return key.endsWith('::/48') ? key : null;
}

function prefixKey(address: string, groupCount: 3 | 4): string {
  // IPv4, the common case, without the regular expressions below (run on every code request).
  if (!address.includes(':')) return address;
  const mapped = address.match(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...headParts, ...Array(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
    : headParts;
  return `${groups
    .slice(0, groupCount)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/${groupCount * 16}`;
}
