import { found } from './scan';

describe('IP address detector', () => {
  it.each([
    ['IPv4', 'Requests from 203.0.113.42 are failing.', '203.0.113.42'],
    ['IPv4 with a port', 'curl http://192.168.1.10:3000/health', '192.168.1.10'],
    ['IPv4 with a prefix length', 'allow 10.0.0.0/8', '10.0.0.0'],
    ['IPv4, single-digit octets', 'DNS 1.1.1.1', '1.1.1.1'],
    ['IPv4, octets of mixed lengths', 'resolver 1.22.1.1 is slow', '1.22.1.1'],
    ['an ssh target', 'ssh deploy@10.17.206.209 -p 22', '10.17.206.209'],
    ['at the end of a sentence', 'The client was 172.16.0.5.', '172.16.0.5'],
    ['IPv6, full', 'addr 2001:0db8:85a3:0000:0000:8a2e:0370:7334 up', '2001:0db8:85a3:0000:0000:8a2e:0370:7334'],
    ['IPv6, compressed', 'route via 2001:db8::8a2e:370:7334', '2001:db8::8a2e:370:7334'],
    ['IPv6 loopback', 'listen on [::1]:8080', '::1'],
    ['IPv6 link-local', 'fe80::1 is unreachable', 'fe80::1'],
    ['IPv4-mapped IPv6', 'peer ::ffff:192.0.2.128 closed', '::ffff:192.0.2.128'],
    ['IPv6, full, ending in a dotted quad (six colons)', 'nat64 0:0:0:0:0:ffff:198.51.100.7 mapped', '0:0:0:0:0:ffff:198.51.100.7'],
  ])('finds %s', (_, text, address) => {
    expect(found(text, 'ip_address')).toEqual([['ip_address', address]]);
  });

  it.each([
    ['three-part versions', 'upgrade 1.2.3 to 10.20.30'],
    ['four-part versions with a version context', 'version 1.0.0.0, AssemblyVersion("2.1.0.4"), pkg==1.2.3.4, ^1.2.3.4'],
    ['a v-prefixed version', 'v1.2.3.4 and V10.0.0.1'],
    ['section numbers of specifications', 'RFC 7231 section 7.1.1.1, rfc7231.html#section-7.1.1.1, §4.2.1.3, WhatWG HTML$8.6.1.5'],
    ['an octet above 255', 'Chrome/120.0.6099.109 and 256.1.1.1'],
    ['leading zeros', '01.02.03.04'],
    ['five dotted parts', '1.2.3.4.5'],
    ['C++ and Rust paths', 'std::vector<int> v; auto x = Foo::bar(); Vec::<u8>::new(); add::sub'],
    ['times', '12:30:45 and 2024-01-15T12:30:45.123Z'],
    ['a MAC address', 'HWaddr 00:1a:2b:3c:4d:5e'],
    ['Python slices and Haskell types', 'a[1::2], b[10::20], x :: Int, dead::beef'],
    ['stack trace positions', 'at /app/src/index.ts:42:13'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'ip_address')).toEqual([]);
  });

  it('finds IPv6 addresses and secret assignments that share their colons and equals signs', () => {
    // One walk over `=` and `:` serves both detectors; each keeps its own place in it.
    const text = 'API_TOKEN=Xk9#mP2vL8qR5zT7wY3n peer=fe80::1 {"password": "Xk9#mP2vL8qR5zT7wY3n", "next": "2001:db8::8a2e:370:7334"}';
    expect(found(text)).toEqual([
      ['secret_assignment', 'Xk9#mP2vL8qR5zT7wY3n'], ['ip_address', 'fe80::1'],
      ['secret_assignment', 'Xk9#mP2vL8qR5zT7wY3n'], ['ip_address', '2001:db8::8a2e:370:7334'],
    ]);
  });
});
