/**
 * Special-purpose IP addresses that name nobody's host (IANA's special-purpose registries): they are not
 * reported. Code, docs and configuration are full of them (`127.0.0.1`, `0.0.0.0`, `::1`, the cloud
 * metadata address `169.254.169.254`, netmasks, documentation examples), and under a `redact` rule a
 * team's `localhost:3000` would reach the model as `[IP_ADDRESS_1]:3000`. Private ranges (`10.0.0.0/8`,
 * `192.168.0.0/16`, `fc00::/7`, …) stay reported: they name hosts inside an organisation's network.
 */

/**
 * `a.b.c.d` is special: this network (`0.0.0.0/8`), loopback (`127/8`), link-local (`169.254/16`),
 * protocol assignments (`192.0.0/24`), documentation (`192.0.2/24`, `198.51.100/24`, `203.0.113/24`),
 * benchmarking (`198.18/15`), multicast, reserved and broadcast (`224/3`: every netmask of a /3 or
 * longer too). Shared address space (`100.64/10`) is a carrier's private network, and stays reported.
 * And `1.2.3.0/24`, for `1.2.3.4`: not special to IANA, but the placeholder docs and tests write wherever
 * they need an address.
 */
export function isSpecialIpv4(a: number, b: number, c: number): boolean {
  return a === 0 || (a === 1 && b === 2 && c === 3) || a === 127 || a >= 224 || (a === 169 && b === 254)
    || (a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19 || (b === 51 && c === 100)))
    || (a === 203 && b === 0 && c === 113);
}

/**
 * `a.b.c.d` is the first or last address of a private block itself (`10.0.0.0`, `172.31.255.255`,
 * `192.168.0.0`, `100.64.0.0`): code and docs write these to define the ranges (`10.0.0.0/8`, `10.0.0.0 –
 * 10.255.255.255`). A network address names no host.
 */
export function isPrivateBlockBound(a: number, b: number, c: number, d: number): boolean {
  const first = c === 0 && d === 0;
  const last = c === 255 && d === 255;
  return (a === 10 && ((b === 0 && first) || (b === 255 && last))) || (a === 172 && ((b === 16 && first) || (b === 31 && last)))
    || (a === 192 && ((b === 168 && first) || (b === 168 && last))) || (a === 100 && ((b === 64 && first) || (b === 127 && last)));
}

/** Groups `from` to `to` (exclusive) are all zero. */
function zeros(groups: readonly number[], from: number, to: number): boolean {
  for (let index = from; index < to; index += 1) if (groups[index] !== 0) return false;
  return true;
}

/**
 * The eight 16-bit groups of an IPv6 address are special: unspecified `::`, loopback `::1`, link-local
 * `fe80::/10`, multicast `ff00::/8`, documentation `2001:db8::/32` and `3fff::/20`; or they carry an IPv4
 * address (compatible `::/96`, mapped `::ffff:0:0/96`, translated `::ffff:0:0:0/96`, NAT64 `64:ff9b::/96`)
 * that is special.
 */
export function isSpecialIpv6(groups: readonly number[]): boolean {
  const [first = 0, second = 0, , , fifth = 0, sixth = 0, seventh = 0, eighth = 0] = groups;
  if ((first & 0xffc0) === 0xfe80 || (first & 0xff00) === 0xff00) return true;
  if ((first === 0x2001 && second === 0x0db8) || (first === 0x3fff && (second & 0xf000) === 0)) return true;
  const carriesIpv4 = zeros(groups, 0, 6)
    || (zeros(groups, 0, 5) && sixth === 0xffff)
    || (zeros(groups, 0, 4) && fifth === 0xffff && sixth === 0)
    || (first === 0x64 && second === 0xff9b && zeros(groups, 2, 6));
  return carriesIpv4 && isSpecialIpv4(seventh >> 8, seventh & 0xff, eighth >> 8);
}
