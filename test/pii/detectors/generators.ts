/**
 * Valid values of every pattern type, generated from a seeded PRNG (never Math.random), for the detector
 * tests and the labelled corpus. Checksums are computed here independently of the detectors' own code.
 */

export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chars(alphabet: string, length: number): string;
  chance(p: number): boolean;
}

/** mulberry32: small, fast, good enough for test data, and the same sequence for the same seed. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    chars: (alphabet, length) => Array.from({ length }, () => alphabet.charAt(int(0, alphabet.length - 1))).join(''),
    chance: (p) => next() < p,
  };
}

export const DIGITS = '0123456789';
export const HEX = '0123456789abcdef';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const ALNUM = `${DIGITS}${UPPER}abcdefghijklmnopqrstuvwxyz`;
export const BASE64 = `${ALNUM}+/`;
export const BASE64URL = `${ALNUM}-_`;

/** Appends the Luhn check digit to `body`. */
export function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    let digit = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** The IBAN for a country and BBAN, with its two check digits computed (ISO 7064 mod 97-10). */
function ibanFor(country: string, bban: string): string {
  const numeric = `${bban}${country}00`.replace(/[A-Z]/g, (letter) => String(letter.charCodeAt(0) - 55));
  const remainder = Number(BigInt(numeric) % 97n);
  return `${country}${String(98 - remainder).padStart(2, '0')}${bban}`;
}

/** BBAN layouts of a few countries: n = digit, a = capital, c = either. */
const BBAN_LAYOUTS: Readonly<Record<string, string>> = {
  DE: 'n18', GB: 'a4n14', FR: 'n10c11n2', NL: 'a4n10', ES: 'n20', IT: 'a1n10c12', CH: 'n5c12', BE: 'n12',
  AT: 'n16', PL: 'n24', SE: 'n20', NO: 'n11', IE: 'a4n14', PT: 'n21', DK: 'n14', FI: 'n14',
};

export function randomIban(rng: Rng): string {
  const country = rng.pick(Object.keys(BBAN_LAYOUTS));
  const layout = BBAN_LAYOUTS[country] ?? 'n18';
  let bban = '';
  for (const [, kind, count] of layout.matchAll(/([nac])(\d+)/g)) {
    const alphabet = kind === 'n' ? DIGITS : kind === 'a' ? UPPER : `${DIGITS}${UPPER}`;
    bban += rng.chars(alphabet, Number(count));
  }
  return ibanFor(country, bban);
}

/** A Luhn-valid number of a main issuer (Visa, Mastercard old and new ranges, Amex, Discover, JCB) and its usual grouping. */
export function randomCardDigits(rng: Rng): { digits: string; groups: readonly number[] } {
  const issuer = rng.int(0, 5);
  const [prefix, length, groups]: [string, number, number[]] =
    issuer === 0 ? ['4', 16, [4, 4, 4, 4]]
      : issuer === 1 ? [String(rng.int(51, 55)), 16, [4, 4, 4, 4]]
        : issuer === 2 ? [String(rng.int(2221, 2720)), 16, [4, 4, 4, 4]]
          : issuer === 3 ? [rng.pick(['34', '37']), 15, [4, 6, 5]]
            : issuer === 4 ? [rng.pick(['6011', '65', String(rng.int(644, 649))]), 16, [4, 4, 4, 4]]
              : [String(rng.int(3528, 3589)), 16, [4, 4, 4, 4]];
  const digits = luhnComplete(`${prefix}${rng.chars(DIGITS, length - prefix.length - 1)}`);
  // Seven identical digits in a row mark a published test number, which the detector leaves alone.
  return /(\d)\1{6}/.test(digits) ? randomCardDigits(rng) : { digits, groups };
}

export function groupDigits(digits: string, groups: readonly number[], separator: string): string {
  const parts: string[] = [];
  let index = 0;
  for (const size of groups) {
    parts.push(digits.slice(index, index + size));
    index += size;
  }
  return parts.join(separator);
}

export function randomSsn(rng: Rng, separator = '-'): string {
  let area = rng.int(1, 899);
  if (area === 666) area = 667;
  return [String(area).padStart(3, '0'), String(rng.int(1, 99)).padStart(2, '0'), String(rng.int(1, 9999)).padStart(4, '0')].join(separator);
}

/** A first octet of a public unicast address outside every special-purpose range (no 0, 127, 169, 192, 198, 203, 224+). */
function publicFirstOctet(rng: Rng): number {
  return rng.pick([() => rng.int(1, 126), () => rng.int(128, 168), () => rng.int(170, 191), () => rng.int(193, 197), () => rng.int(199, 202), () => rng.int(204, 223)])();
}

/** An address the detector reports: private networks and public unicast, never a special-purpose one (special-addresses.ts). */
export function randomIpv4(rng: Rng): string {
  return rng.pick([
    () => `192.168.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    () => `10.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    () => `172.${rng.int(16, 31)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
    () => `${publicFirstOctet(rng)}.${rng.int(0, 255)}.${rng.int(0, 255)}.${rng.int(1, 254)}`,
  ])();
}

export function randomIpv6(rng: Rng): string {
  const group = (): string => rng.int(0, 0xffff).toString(16);
  return rng.pick([
    // Global unicast (2400:: to 2fff::), clear of documentation, link-local and multicast prefixes.
    () => [rng.int(0x2400, 0x2fff).toString(16), ...Array.from({ length: 7 }, group)].join(':'),
    () => [rng.int(0x2400, 0x2fff).toString(16), ...Array.from({ length: 7 }, () => group().padStart(4, '0'))].join(':'),
    () => `2a0${rng.int(0, 9)}:${group()}::${group()}:${group()}`,
    () => `fd${rng.chars(HEX, 2)}:${group()}:${group()}::${rng.int(1, 0xffff).toString(16)}`,
    () => `2606:4700:${group()}::${rng.int(1, 0xffff).toString(16)}`,
    () => `::ffff:${randomIpv4(rng)}`,
  ])();
}

export function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

export function randomJwt(rng: Rng): string {
  const header = rng.pick([{ alg: 'HS256', typ: 'JWT' }, { alg: 'RS256', typ: 'JWT', kid: rng.chars(HEX, 16) }, { typ: 'JWT', alg: 'ES256' }]);
  const payload = { sub: String(rng.int(1, 1e9)), name: rng.pick(['Ada', 'Lin', 'Sam']), iat: 1_700_000_000 + rng.int(0, 1e7), scope: 'read write' };
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.${rng.chars(BASE64URL, rng.pick([43, 86, 342]))}`;
}

/** Keys in each documented format (bodies random; the GateLLM key has the gateway's exact shape). */
export function randomApiKey(rng: Rng): string {
  return rng.pick([
    () => `sk-proj-${rng.chars(BASE64URL, 48)}T3BlbkFJ${rng.chars(BASE64URL, 48)}`,
    () => `sk-${rng.chars(ALNUM, 20)}T3BlbkFJ${rng.chars(ALNUM, 20)}`,
    () => `sk-svcacct-${rng.chars(BASE64URL, 64)}`,
    () => `sk-ant-api03-${rng.chars(BASE64URL, 93)}AA`,
    () => `sk-ant-admin01-${rng.chars(BASE64URL, 93)}AA`,
    () => `${rng.pick(['ghp', 'gho', 'ghu', 'ghs', 'ghr'])}_${rng.chars(ALNUM, 36)}`,
    () => `github_pat_11${rng.chars(UPPER + DIGITS, 20)}_${rng.chars(ALNUM, 59)}`,
    () => `xoxb-${rng.chars(DIGITS, 12)}-${rng.chars(DIGITS, 13)}-${rng.chars(ALNUM, 24)}`,
    () => `xoxp-${rng.chars(DIGITS, 11)}-${rng.chars(DIGITS, 12)}-${rng.chars(DIGITS, 13)}-${rng.chars(HEX, 32)}`,
    () => `https://hooks.slack.com/services/T${rng.chars(UPPER + DIGITS, 8)}/B${rng.chars(UPPER + DIGITS, 10)}/${rng.chars(ALNUM, 24)}`,
    () => `${rng.pick(['sk_live_', 'sk_test_', 'rk_live_'])}${rng.chars(ALNUM, rng.pick([24, 99]))}`,
    () => `AIza${rng.chars(BASE64URL, 35)}`,
    () => `gllm_${rng.chars(ALNUM, 58)}`,
    () => `npm_${rng.chars(ALNUM, 36)}`,
    () => `glpat-${rng.chars(BASE64URL, 20)}`,
    () => `hf_${rng.chars(ALNUM, 34)}`,
    () => `SG.${rng.chars(BASE64URL, 22)}.${rng.chars(BASE64URL, 43)}`,
    () => `shpat_${rng.chars(HEX, 32)}`,
    () => `whsec_${rng.chars(ALNUM, 32)}`,
  ])();
}

export function randomAwsAccessKeyId(rng: Rng): string {
  return `${rng.pick(['AKIA', 'AKIA', 'ASIA', 'AROA', 'AIDA'])}${rng.chars(UPPER + '234567', 16)}`;
}

export function randomAwsSecretKey(rng: Rng): string {
  return rng.chars(BASE64, 40);
}

export function randomPrivateKey(rng: Rng, newline = '\n'): string {
  const label = rng.pick(['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK']);
  const lines = Array.from({ length: rng.int(3, 12) }, () => rng.chars(BASE64, 64));
  lines.push(`${rng.chars(BASE64, rng.int(4, 60))}==`);
  const header = label.startsWith('PGP') ? [`Version: GnuPG v2`, ''] : [];
  return [`-----BEGIN ${label}-----`, ...header, ...lines, `-----END ${label}-----`].join(newline);
}

const FIRST = ['jane', 'omar', 'li', 'priya', 'lukas', 'chloé', 'sam', 'ana', 'kenji', 'fatima', 'john', 'marie'];
const LAST = ['doe', 'haddad', 'wei', 'sharma', 'schmidt', 'martin', 'lee', 'silva', 'tanaka', 'okafor', 'smith', 'dupont'];
const DOMAINS = ['Example.COM', 'mail2.example.net', 'my-company.co', 'example.com', 'acme.io', 'mail.example.org', 'corp.example.co.uk', 'uni-berlin.de', 'startup.ai', 'gmail.com', 'outlook.fr', 'sub.dept.agency.gov', 'shop.example.dev'];

export function randomEmail(rng: Rng): string {
  const first = rng.pick(FIRST).replace('é', 'e');
  const last = rng.pick(LAST);
  const local = rng.pick([`${first}.${last}`, `${first}${rng.int(1, 99)}`, `${first[0] ?? 'x'}${last}`, `${first}_${last}`, `${first}+${rng.pick(['news', 'billing', 'gh'])}`, `${first}-${last}`, `${last.toUpperCase()}`]);
  return `${local}@${rng.pick(DOMAINS)}`;
}

export function randomPhone(rng: Rng): string {
  const d = (n: number): string => rng.chars(DIGITS, n);
  const nanp = (): string => `${rng.int(2, 9)}${d(2)}`;
  return rng.pick([
    () => `+49${rng.pick(['151', '160', '171', '30', '89'])}${d(8)}`,
    () => `+1 (${nanp()}) ${nanp()}-${d(4)}`,
    () => `+1-${nanp()}-${nanp()}-${d(4)}`,
    () => `+44 20 ${rng.int(3, 8)}${d(3)} ${d(4)}`,
    () => `+44 7${d(3)} ${d(6)}`,
    () => `+49 30 ${d(8)}`,
    () => `+33 ${rng.int(1, 7)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    () => `+81 3-${d(4)}-${d(4)}`,
    () => `(${nanp()}) ${nanp()}-${d(4)}`,
    () => `${nanp()}-${nanp()}-${d(4)}`,
    () => `${nanp()}.${nanp()}.${d(4)}`,
    () => `${nanp()} ${nanp()} ${d(4)}`,
    () => `1-${nanp()}-${nanp()}-${d(4)}`,
    () => `020 ${rng.int(3, 8)}${d(3)} ${d(4)}`,
    () => `07${d(3)} ${d(6)}`,
    () => `030 ${d(8)}`,
    () => `0${rng.int(151, 179)} ${d(8)}`,
    () => `089/${d(7)}`,
    () => `0${rng.int(1, 9)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`,
    () => `0${rng.int(1, 9)}.${d(2)}.${d(2)}.${d(2)}.${d(2)}`,
    () => `+1 ${nanp()} ${nanp()} ${d(4)}`,
    () => `+44 (0)20 ${rng.int(3, 8)}${d(3)} ${d(4)}`,
    () => `(020) ${rng.int(3, 8)}${d(3)} ${d(4)}`,
    () => `+49-30-${d(8)}`,
    () => `+353 1 ${d(3)} ${d(4)}`,
    () => `+61 2 ${d(4)} ${d(4)}`,
    () => `+91 ${rng.int(7, 9)}${d(4)} ${d(5)}`,
    () => `+55 11 9${d(4)}-${d(4)}`,
    () => `+86 13${d(1)} ${d(4)} ${d(4)}`,
  ])();
}

/** Secrets people write into config: generated keys, tokens and passwords (high entropy, mixed classes). */
export function randomSecretValue(rng: Rng): string {
  return rng.pick([
    () => rng.chars(ALNUM, rng.int(20, 48)),
    () => rng.chars(BASE64, 32) + '=',
    () => rng.chars(HEX, rng.pick([32, 64])),
    () => rng.chars(`${ALNUM}!#%^*-_`, rng.int(16, 28)),
    () => `${rng.chars(ALNUM, 8)}-${rng.chars(ALNUM, 8)}-${rng.chars(ALNUM, 8)}`,
    () => rng.chars(BASE64URL, 43),
  ])();
}
