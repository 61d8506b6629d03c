import fc from 'fast-check';
import { createScanner } from '../../lambda/pii/scanner';
import type { Finding } from '../../lambda/pii/types';
import {
  BASE64, HEX, groupDigits, randomApiKey, randomAwsAccessKeyId, randomAwsSecretKey, randomCardDigits, randomEmail, randomIban,
  randomIpv4, randomIpv6, randomJwt, randomPhone, randomPrivateKey, randomSecretValue, randomSsn, seededRng, type Rng,
} from './detectors/generators';

const scanner = createScanner();

/** Text a value may sit in: printable ASCII, some Unicode, digits and the punctuation detectors care about. */
const context = fc.string({ unit: fc.oneof(fc.constantFrom(...'0123456789 .-+:@_=/\n()"\''), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 40 });
/** Characters that end a value without joining it to its neighbours. */
const boundary = fc.constantFrom('\n', '\t', '"', "'", ',', ';', '|', '<', '>', '[', ']', ' "', '" ');

function wellFormed(text: string, findings: readonly Finding[]): boolean {
  return findings.every((finding, i) => finding.start >= 0 && finding.end <= text.length && finding.start < finding.end
    && (i === 0 || finding.start >= (findings[i - 1]?.end ?? 0)));
}

describe('scanner properties', () => {
  it('never throws, and returns sorted, in-range, non-overlapping findings for any text', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: fc.constantFrom(...'0123456789 .-+()/:@_=abcdefABCDEF"\'\n\\eyJ'), maxLength: 300 }),
      fc.array(fc.oneof(context, fc.constantFrom('-----BEGIN RSA PRIVATE KEY-----', '-----END RSA PRIVATE KEY-----', 'sk-', 'ghp_', 'AKIA', 'eyJ', '::', 'password=', '+1 (')), { maxLength: 20 }).map((parts) => parts.join('')),
    );
    fc.assert(fc.property(anyText, (text) => wellFormed(text, scanner.scan(text))), { numRuns: 500 });
  });

  const values: [string, (rng: Rng) => string][] = [
    ['email', randomEmail],
    ['phone', randomPhone],
    ['payment_card', (rng) => {
      const { digits, groups } = randomCardDigits(rng);
      return rng.pick([digits, groupDigits(digits, groups, ' '), groupDigits(digits, groups, '-')]);
    }],
    ['iban', (rng) => (rng.chance(0.5) ? randomIban(rng) : randomIban(rng).replace(/(.{4})(?=.)/g, '$1 '))],
    ['us_ssn', (rng) => randomSsn(rng)],
    ['ip_address', (rng) => (rng.chance(0.5) ? randomIpv4(rng) : randomIpv6(rng))],
    ['aws_access_key', randomAwsAccessKeyId],
    ['private_key', (rng) => randomPrivateKey(rng, rng.pick(['\n', '\\n']))],
    ['jwt', randomJwt],
    ['api_key', randomApiKey],
  ];

  it.each(values)('finds a valid %s exactly at its span, wherever it is embedded', (type, generate) => {
    fc.assert(fc.property(fc.integer(), context, boundary, boundary, context, (seed, before, open, close, after) => {
      const value = generate(seededRng(seed));
      const text = `${before}${open}${value}${close}${after}`;
      const start = before.length + open.length;
      return scanner.scan(text).some((finding) => finding.type === type && finding.start === start && finding.end === start + value.length);
    }), { numRuns: 200 });
  });

  it.each([
    ['aws_secret_key', 'aws_secret_access_key = ', randomAwsSecretKey],
    ['secret_assignment', 'DB_PASSWORD=', randomSecretValue],
  ] as const)('finds an assigned %s exactly at its span', (type, assignment, generate) => {
    fc.assert(fc.property(fc.integer(), context, context, (seed, before, after) => {
      const value = generate(seededRng(seed));
      // `%NAME%` is a Windows environment reference, not a value, however it was generated.
      fc.pre(!/^%\w+%$/.test(value));
      const text = `${before}\n${assignment}${value}\n${after}`;
      const start = before.length + 1 + assignment.length;
      return scanner.scan(text).some((finding) => finding.type === type && finding.start === start && finding.end === start + value.length);
    }), { numRuns: 200 });
  });

  it('finds nothing in hex, UUID, base64, timestamp and version noise', () => {
    // Hex as hashes print it: with at least one letter (an all-digit string is a number, and may be a card's).
    const hex = (min: number, max: number): fc.Arbitrary<string> =>
      fc.string({ unit: fc.constantFrom(...HEX), minLength: min, maxLength: max }).filter((value) => /[a-f]/.test(value));
    const noise = fc.oneof(
      hex(7, 40),
      fc.uuid(),
      fc.string({ unit: fc.constantFrom(...BASE64), minLength: 20, maxLength: 400 }).map((body) => `data:image/png;base64,${body}==`),
      fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
      fc.integer({ min: 1_000_000_000, max: 1_999_999_999 }).map(String),
      fc.tuple(fc.nat(30), fc.nat(99), fc.nat(999), fc.constantFrom('', '-beta.1', '-rc.12', '+build.5')).map(([a, b, c, tag]) => `${a}.${b}.${c}${tag}`),
      fc.tuple(fc.nat(30), fc.nat(99), fc.nat(999)).map(([a, b, c]) => `v${a}.${b}.${c}`),
    );
    fc.assert(fc.property(fc.array(noise, { minLength: 1, maxLength: 12 }), fc.constantFrom(' ', '\n', ', ', ' | '), (parts, joiner) => {
      const text = parts.join(joiner);
      return scanner.scan(text).length === 0;
    }), { numRuns: 500 });
  });

  it('scans the same text the same way every time (no state between scans)', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      const rng = seededRng(seed);
      const text = `${randomEmail(rng)} ${randomPhone(rng)} ${randomApiKey(rng)} ${rng.chars(HEX, 12)}`;
      return JSON.stringify(scanner.scan(text)) === JSON.stringify(scanner.scan(text));
    }), { numRuns: 100 });
  });
});
