import fc from 'fast-check';
import { managedType, normalizeFindings, occurrences } from '../../../lambda/pii/managed/findings';
import { parseGuardrailArn } from '../../../lambda/pii/managed/guardrail-arn';
import type { Finding } from '../../../lambda/pii/types';

describe('managedType', () => {
  test('keeps names and addresses, ignores what the pattern detectors cover and everything else', () => {
    expect(managedType('NAME')).toBe('person_name');
    expect(managedType('ADDRESS')).toBe('postal_address');
    for (const other of ['EMAIL', 'CREDIT_DEBIT_NUMBER', 'AWS_ACCESS_KEY', 'DATE_TIME', 'AGE', 'constructor', 'name', undefined]) {
      expect(managedType(other)).toBeUndefined();
    }
  });
});

describe('normalizeFindings', () => {
  const finding = (type: string, start: number, end: number): Finding => ({ type, start, end });

  test('sorts by start and merges overlapping findings of one type', () => {
    expect(normalizeFindings([finding('person_name', 10, 18), finding('person_name', 0, 4), finding('person_name', 14, 22)])).toEqual([
      finding('person_name', 0, 4),
      finding('person_name', 10, 22),
    ]);
  });

  test('of overlapping findings of different types the longer wins', () => {
    expect(normalizeFindings([finding('person_name', 5, 20), finding('postal_address', 0, 40)])).toEqual([finding('postal_address', 0, 40)]);
    expect(normalizeFindings([finding('postal_address', 0, 6), finding('person_name', 3, 20)])).toEqual([finding('person_name', 3, 20)]);
  });

  test('the result is sorted and never overlaps (property)', () => {
    const arbitraryFinding = fc
      .tuple(fc.constantFrom('person_name', 'postal_address'), fc.nat(100), fc.integer({ min: 1, max: 30 }))
      .map(([type, start, length]) => finding(type, start, start + length));
    fc.assert(
      fc.property(fc.array(arbitraryFinding, { maxLength: 30 }), (findings) => {
        const result = normalizeFindings(findings);
        for (let index = 1; index < result.length; index += 1) {
          expect((result[index] as Finding).start).toBeGreaterThanOrEqual((result[index - 1] as Finding).end);
        }
      }),
    );
  });
});

describe('occurrences', () => {
  test('finds every whole-word occurrence', () => {
    const text = 'Ann met Ann. Annual reports by Anna and JoAnn; ann is not Ann';
    expect(occurrences(text, 'Ann').map((start) => text.slice(start, start + 3))).toEqual(['Ann', 'Ann', 'Ann']);
    expect(occurrences(text, 'Ann')).toEqual([0, 8, text.length - 3]);
  });

  test('respects letters beyond ASCII and emoji next to the match', () => {
    expect(occurrences('Zoë Müller, Müllerin, 😀Müller', 'Müller')).toEqual([4, 24]);
    expect(occurrences('日本Jane', 'Jane')).toEqual([]);
  });

  test('a match that begins or ends with punctuation needs no boundary there', () => {
    expect(occurrences('x12 Main St.y', 'Main St.')).toEqual([4]);
    expect(occurrences('', 'Jane')).toEqual([]);
    expect(occurrences('Jane', '')).toEqual([]);
  });
});

describe('parseGuardrailArn', () => {
  test('reads partition, region, account and id from a guardrail ARN', () => {
    expect(parseGuardrailArn('arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/abc123')).toEqual({
      partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012', guardrailId: 'abc123',
    });
    expect(parseGuardrailArn('abc123')).toBeUndefined();
    expect(parseGuardrailArn('arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123/extra')).toBeUndefined();
  });
});
