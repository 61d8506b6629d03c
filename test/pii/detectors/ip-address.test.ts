import fc from 'fast-check';
import { found } from './scan';

/** Special-purpose IPv4 blocks as [first address, prefix length], written out from IANA's registry (independently of the detector's code). */
const SPECIAL_IPV4: readonly [string, number][] = [
  ['0.0.0.0', 8], ['127.0.0.0', 8], ['169.254.0.0', 16], ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15],
  ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3],
  // Not IANA's: the block of `1.2.3.4`, every doc's and test's placeholder address.
  ['1.2.3.0', 24],
];

/** The private blocks' first and last addresses, which define the ranges rather than name a host. */
const PRIVATE_BLOCK_BOUNDS: ReadonlySet<string> = new Set([
  '10.0.0.0', '10.255.255.255', '172.16.0.0', '172.31.255.255', '192.168.0.0', '192.168.255.255', '100.64.0.0', '100.127.255.255',
]);

function asNumber(address: string): number {
  return address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function isSpecial(address: string): boolean {
  if (PRIVATE_BLOCK_BOUNDS.has(address)) return true;
  const value = asNumber(address);
  return SPECIAL_IPV4.some(([base, bits]) => Math.floor(value / 2 ** (32 - bits)) === Math.floor(asNumber(base) / 2 ** (32 - bits)));
}


describe('IP address detector', () => {
  it.each([
    ['IPv4', 'Requests from 81.2.69.160 are failing.', '81.2.69.160'],
    ['IPv4 with a port', 'curl http://192.168.1.10:3000/health', '192.168.1.10'],
    ['IPv4 with a prefix length', 'allow 10.20.0.0/16', '10.20.0.0'],
    ['IPv4 next to the bound of a private block', 'host 10.0.0.1 answers', '10.0.0.1'],
    ['IPv4, single-digit octets', 'DNS 1.1.1.1', '1.1.1.1'],
    ['IPv4 just past a special range (benchmarking)', 'host 198.20.0.1 answers', '198.20.0.1'],
    ['IPv4 just past a special range (documentation)', 'host 192.0.3.1 answers', '192.0.3.1'],
    ['IPv4, octets of mixed lengths', 'resolver 1.22.1.1 is slow', '1.22.1.1'],
    ['an ssh target', 'ssh deploy@10.17.206.209 -p 22', '10.17.206.209'],
    ['at the end of a sentence', 'The client was 172.16.0.5.', '172.16.0.5'],
    ['IPv6, full', 'addr 2a02:0c7f:85a3:0000:0000:8a2e:0370:7334 up', '2a02:0c7f:85a3:0000:0000:8a2e:0370:7334'],
    ['IPv6, compressed', 'route via 2606:4700:4700::1111', '2606:4700:4700::1111'],
    ['IPv6, unique local (a private network)', 'peer fd12:3456:789a::8a2e:370:7334 up', 'fd12:3456:789a::8a2e:370:7334'],
    ['IPv4-mapped IPv6', 'peer ::ffff:10.20.30.40 closed', '::ffff:10.20.30.40'],
    ['IPv6, full, ending in a dotted quad (six colons)', 'mapped 0:0:0:0:0:ffff:172.16.4.7 here', '0:0:0:0:0:ffff:172.16.4.7'],
    ['an IPv4 address behind NAT64', 'via 64:ff9b::81.2.69.160', '64:ff9b::81.2.69.160'],
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
    ['loopback and unspecified addresses', 'curl http://127.0.0.1:8787/health; listen 0.0.0.0:80, [::1]:8080, [::]:443, 127.0.1.1'],
    ['link-local addresses and cloud metadata', 'GET http://169.254.169.254/latest/meta-data and 169.254.170.2, fe80::1%eth0, fe80::a00:27ff:fe4e:66a1'],
    ['documentation, benchmarking and protocol addresses', '192.0.2.1, 198.51.100.7, 203.0.113.42, 198.18.0.1, 198.19.255.2, 192.0.0.8, 2001:db8::8a2e:370:7334, 2001:0db8:85a3:0000:0000:8a2e:0370:7334, 3fff::1:2'],
    ['multicast, broadcast and netmasks', '224.0.0.251, 239.255.255.250, 255.255.255.255, netmask 255.255.255.0, ff02::1:3'],
    ["the bounds of private blocks, which define them", '// 10.0.0.0/8 (10.0.0.0 to 10.255.255.255), 172.16.0.0/12 up to 172.31.255.255, 192.168.0.0/16, 100.64.0.0/10'],
    ['the placeholder address, and a version in Markdown', "ec2.Peer.ipv4('1.2.3.4/32'); for engine version `1.2.0.0`"],
    ["V8's four-part versions", "versions: { node: '20.11.0', v8: '11.3.244.8-node.17' }\n\"v8\": \"12.4.254.21\","],
    ['special addresses carried in IPv6', '::ffff:127.0.0.1, ::ffff:0:192.0.2.1, 64:ff9b::169.254.169.254, 0:0:0:0:0:ffff:203.0.113.9, ::ffff:7f00:1'],
  ])('ignores %s', (_, text) => {
    expect(found(text, 'ip_address')).toEqual([]);
  });

  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((octets) => octets.join('.'));

  it('reports an IPv4 address exactly when it is outside every special-purpose block and is no private block bound', () => {
    fc.assert(fc.property(ipv4, (address) => {
      expect(found(`peer ${address} closed`, 'ip_address')).toEqual(isSpecial(address) ? [] : [['ip_address', address]]);
    }), { numRuns: 2000 });
    // The blocks' edges, which random addresses rarely hit.
    for (const [base, bits] of SPECIAL_IPV4) {
      const first = asNumber(base);
      const last = first + 2 ** (32 - bits) - 1;
      for (const value of [first - 1, first, last, last + 1].filter((candidate) => candidate >= 0 && candidate < 2 ** 32)) {
        const address = [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
        expect(found(`peer ${address} closed`, 'ip_address')).toEqual(isSpecial(address) ? [] : [['ip_address', address]]);
      }
    }
    for (const address of PRIVATE_BLOCK_BOUNDS) expect(found(`peer ${address} closed`, 'ip_address')).toEqual([]);
  });

  it('treats an IPv4 address carried in IPv6 (mapped, translated, NAT64) as the IPv4 address itself', () => {
    fc.assert(fc.property(ipv4, fc.constantFrom('::ffff:', '::ffff:0:', '64:ff9b::', '0:0:0:0:0:ffff:'), (address, prefix) => {
      const carried = `${prefix}${address}`;
      expect(found(`peer ${carried} closed`, 'ip_address')).toEqual(isSpecial(address) ? [] : [['ip_address', carried]]);
    }), { numRuns: 1000 });
  });

  it('finds IPv6 addresses and secret assignments that share their colons and equals signs', () => {
    // One walk over `=` and `:` serves both detectors; each keeps its own place in it.
    const text = 'API_TOKEN=Xk9#mP2vL8qR5zT7wY3n peer=fd00::1 {"password": "Xk9#mP2vL8qR5zT7wY3n", "next": "2606:4700::8a2e:370:7334"}';
    expect(found(text)).toEqual([
      ['secret_assignment', 'Xk9#mP2vL8qR5zT7wY3n'], ['ip_address', 'fd00::1'],
      ['secret_assignment', 'Xk9#mP2vL8qR5zT7wY3n'], ['ip_address', '2606:4700::8a2e:370:7334'],
    ]);
  });
});
