import { compileCustomPattern, createScanner } from '../../lambda/pii/scanner';
import { PATTERN_PII_TYPES } from '../../lambda/pii/types';

/** A key block one of whose base64 lines happens to look like an AWS access key id. */
const KEY_BLOCK = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi8fzNmI0Kdc8cqgFJ+dQg0ycKn\nAKIAJ5Q3XZ7W4NRT2KLM\n-----END RSA PRIVATE KEY-----';

function scanAs(text: string, options: Parameters<typeof createScanner>[0] = {}): [string, string][] {
  return createScanner(options).scan(text).map((finding) => [finding.type, text.slice(finding.start, finding.end)]);
}

describe('createScanner', () => {
  it('returns findings sorted by start, of every type by default', () => {
    const text = 'Mail jane@example.com, call +4915112345678, card 4539 1488 0343 6467, key AKIAJ5Q3XZ7W4NRT2KLM.';
    const findings = createScanner().scan(text);
    expect(findings.map((finding) => finding.type)).toEqual(['email', 'phone', 'payment_card', 'aws_access_key']);
    expect(findings.map((finding) => finding.start)).toEqual([...findings.map((finding) => finding.start)].sort((a, b) => a - b));
  });

  it('finds nothing in an empty text', () => {
    expect(createScanner().scan('')).toEqual([]);
  });

  describe('overlaps', () => {
    it('reports a private key block once, not the values inside it', () => {
      expect(scanAs(KEY_BLOCK, { types: new Set(['aws_access_key']) })).toEqual([['aws_access_key', 'AKIAJ5Q3XZ7W4NRT2KLM']]);
      expect(scanAs(`Key:\n${KEY_BLOCK}\n`)).toEqual([['private_key', KEY_BLOCK]]);
    });

    it('names a recognised key by its format, not as a secret assignment', () => {
      const key = 'ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c';
      expect(scanAs(`GITHUB_TOKEN=${key}`)).toEqual([['api_key', key]]);
    });

    it('lets the longer of two overlapping findings win', () => {
      // A custom pattern covering an email and more beats the email; a shorter one loses to it.
      const custom = [{ name: 'ticket_ref', pattern: 'REF:[a-z.]+@example\\.com:\\d+' }, { name: 'mailbox', pattern: 'jane' }];
      expect(scanAs('see REF:jane@example.com:42 and jane@example.com', { custom })).toEqual([
        ['ticket_ref', 'REF:jane@example.com:42'], ['email', 'jane@example.com'],
      ]);
    });

    it('never returns overlapping findings', () => {
      const text = `export STRIPE_KEY=sk_live_${'a1B2c3D4e5'.repeat(3)} ${KEY_BLOCK} +1 (415) 555-0132 412-73-5561`;
      const findings = createScanner().scan(text);
      for (let i = 1; i < findings.length; i += 1) expect(findings[i]?.start).toBeGreaterThanOrEqual(findings[i - 1]?.end ?? 0);
    });
  });

  describe('types', () => {
    it('looks only for the enabled types', () => {
      const text = 'jane@example.com +4915112345678 AKIAJ5Q3XZ7W4NRT2KLM';
      expect(scanAs(text, { types: new Set(['phone']) })).toEqual([['phone', '+4915112345678']]);
      expect(scanAs(text, { types: new Set(['email', 'aws_access_key']) })).toEqual([['email', 'jane@example.com'], ['aws_access_key', 'AKIAJ5Q3XZ7W4NRT2KLM']]);
    });

    it('reports a value that a disabled type would have claimed under the enabled one', () => {
      // Off: api_key. The same value is still a secret assignment.
      const key = 'ghp_Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c';
      expect(scanAs(`GITHUB_TOKEN=${key}`, { types: new Set(['secret_assignment']) })).toEqual([['secret_assignment', key]]);
    });

    it('finds nothing with no type enabled', () => {
      expect(scanAs('jane@example.com', { types: new Set() })).toEqual([]);
    });

    it('separates the numeric types, which share one pass over the digits', () => {
      const values = { ip_address: '192.168.1.10', payment_card: '4539148803436467', us_ssn: '412-73-5561', phone: '+4915112345678', iban: 'DE67760501014871236590' };
      const text = Object.values(values).join(' ');
      for (const [type, value] of Object.entries(values)) {
        const findings = scanAs(text, { types: new Set([type]) });
        expect(findings).toContainEqual([type, value]);
        expect(findings.every(([found]) => found === type)).toBe(true);
      }
      expect(scanAs(text)).toEqual(Object.entries(values));
    });
  });

  describe('custom patterns', () => {
    const employeeId = { name: 'employee_id', pattern: 'EMP-\\d{6}' };

    it('finds custom patterns alongside the built-in types', () => {
      expect(scanAs('EMP-004211 (jane@example.com)', { custom: [employeeId] })).toEqual([['employee_id', 'EMP-004211'], ['email', 'jane@example.com']]);
    });

    it('applies extra flags', () => {
      expect(scanAs('emp-004211', { custom: [{ ...employeeId, flags: 'i' }] })).toEqual([['employee_id', 'emp-004211']]);
    });

    it('skips a custom pattern that is not among the enabled types', () => {
      expect(scanAs('EMP-004211', { custom: [employeeId], types: new Set(['email']) })).toEqual([]);
      expect(scanAs('EMP-004211', { custom: [employeeId], types: new Set(['employee_id']) })).toEqual([['employee_id', 'EMP-004211']]);
    });

    it('throws when the scanner is built with an invalid pattern', () => {
      expect(() => createScanner({ custom: [{ name: 'bad', pattern: '(' }] })).toThrow(/Custom PII pattern "bad"/);
    });
  });
});

describe('compileCustomPattern', () => {
  it('compiles with the g and u flags and the extra ones', () => {
    const { name, regex } = compileCustomPattern({ name: 'order_ref', pattern: 'ord-\\d+', flags: 'i' });
    expect(name).toBe('order_ref');
    expect(regex.flags).toBe('giu');
  });

  it.each([
    ['a name that is not lower snake case', { name: 'Employee-ID', pattern: 'x' }, /lower snake case/],
    ['a name starting with a digit', { name: '1st', pattern: 'x' }, /lower snake case/],
    ['a built-in pattern type', { name: 'email', pattern: 'x' }, /built-in type/],
    ['a managed type', { name: 'person_name', pattern: 'x' }, /built-in type/],
    ['an invalid regular expression', { name: 'broken', pattern: '([a-z]+' }, /not a valid regular expression/],
    ['a pattern matching the empty string', { name: 'empty', pattern: '\\d*' }, /matches the empty string/],
    ['a zero-width pattern', { name: 'boundary', pattern: '\\b' }, /matches the empty string/],
    ['an unsupported flag', { name: 'sticky', pattern: 'x', flags: 'y' }, /unsupported flag "y"/],
    ['a repeated group that repeats inside', { name: 'nested', pattern: '(a+)+b' }, /repeats a group that itself repeats/],
    ['the same, three groups deep', { name: 'deep', pattern: 'x((?:\\w\\s?)*)*y' }, /repeats a group that itself repeats/],
    ['the same with a counted unbounded repetition', { name: 'counted', pattern: '(?:\\d{2,})\\d{3,}(?:[a-z]\\d*){1,}' }, /repeats a group that itself repeats/],
  ])('rejects %s, naming the pattern', (_, config, message) => {
    expect(() => compileCustomPattern(config)).toThrow(message);
    expect(() => compileCustomPattern(config)).toThrow(`"${config.name}"`);
  });

  it('accepts repetition that does not nest: groups repeated a bounded number of times, classes, escapes', () => {
    for (const pattern of ['EMP-\\d{6}', '(?:\\d{3}-){2}\\d{4}', '[(+*)]+x', '\\(a+\\)+', '(ab)+c', '(?<id>[A-Z]{2}\\d+)?-x', '(?:a+){2}b']) {
      expect(() => compileCustomPattern({ name: 'ok', pattern })).not.toThrow();
    }
  });

  it('accepts every name that is lower snake case and not built in', () => {
    for (const type of PATTERN_PII_TYPES) expect(() => compileCustomPattern({ name: `${type}_custom`, pattern: 'x' })).not.toThrow();
  });
});
