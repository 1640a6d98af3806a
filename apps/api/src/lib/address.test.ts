import { describe, expect, it } from 'vitest';
import { addressKey, networkKey } from './address.ts';

describe('addressKey', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6', () => {
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('counts IPv6 addresses per /64', () => {
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });

  it('counts IPv6 addresses also per /48, IPv4 not', () => {
    expect(networkKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1::/48');
    expect(networkKey('2001:db8:1:ffff::9')).toBe('2001:db8:1::/48');
    expect(networkKey('203.0.113.7')).toBeNull();
    expect(networkKey('::ffff:203.0.113.7')).toBeNull();
  });
});
