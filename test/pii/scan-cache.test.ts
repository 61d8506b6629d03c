import fc from 'fast-check';
import { cachedScanner } from '../../lambda/pii/scan-cache';
import type { Finding, PiiScanner } from '../../lambda/pii/types';

/** A scanner that finds every `@` and counts its scans. */
function countingScanner(): PiiScanner & { scans: number } {
  const scanner = {
    scans: 0,
    scan(text: string): Finding[] {
      scanner.scans += 1;
      return [...text.matchAll(/@/g)].map((match) => ({ type: 'email', start: match.index, end: match.index + 1 }));
    },
  };
  return scanner;
}

describe('the scan cache', () => {
  const long = (seed: string): string => `${seed}@${'x'.repeat(2000)}`;

  it('scans a long text once and returns the same findings after, as a fresh array', () => {
    const inner = countingScanner();
    const scanner = cachedScanner(inner);
    const first = scanner.scan(long('a'));
    first.push({ type: 'email', start: 0, end: 1 });
    expect(scanner.scan(long('a'))).toEqual([{ type: 'email', start: 1, end: 2 }]);
    expect(inner.scans).toBe(1);
  });

  it('tells apart texts that differ only where a fingerprint does not look, and finds each one again', () => {
    const inner = countingScanner();
    const scanner = cachedScanner(inner);
    // Same length, same characters at every sampled position: only the middle of the first span differs.
    const texts = ['x@', '@x', 'xx'].map((middle) => `${'x'.repeat(30)}${middle}${'x'.repeat(3000)}`);
    const first = texts.map((text) => scanner.scan(text));
    expect(first).toEqual([[{ type: 'email', start: 31, end: 32 }], [{ type: 'email', start: 30, end: 31 }], []]);
    expect(texts.map((text) => scanner.scan(`${text}`))).toEqual(first);
    expect(inner.scans).toBe(3);
  });

  it('scans the shortest texts every time', () => {
    const inner = countingScanner();
    const scanner = cachedScanner(inner);
    scanner.scan('a@b');
    scanner.scan('a@b');
    expect(inner.scans).toBe(2);
  });

  it('remembers texts the size of a tool call, sent again as new strings', () => {
    // A long session is mostly short texts: each turn resends them, parsed anew from the request body.
    const inner = countingScanner();
    const scanner = cachedScanner(inner);
    const call = JSON.stringify({ command: 'npm test -- --runInBand test/billing', description: 'Run the billing tests' });
    expect(call.length).toBeGreaterThanOrEqual(70);
    const toolCalls = Array.from({ length: 40 }, (_, index) => `${call} ${index} ${'ok '.repeat(20)}`);
    for (const text of toolCalls) scanner.scan(JSON.parse(JSON.stringify(text)) as string);
    for (const text of toolCalls) scanner.scan(JSON.parse(JSON.stringify(text)) as string);
    expect(inner.scans).toBe(40);
  });

  it('forgets the least recently used text beyond its bound', () => {
    const inner = countingScanner();
    const scanner = cachedScanner(inner, { maxChars: 4100 });
    scanner.scan(long('a'));
    scanner.scan(long('b'));
    scanner.scan(long('a'));
    scanner.scan(long('c'));
    expect(inner.scans).toBe(3);
    scanner.scan(long('a'));
    expect(inner.scans).toBe(3);
    scanner.scan(long('b'));
    expect(inner.scans).toBe(4);
  });

  it('scans exactly when a least-recently-used cache of whole texts would (property)', () => {
    // Texts that differ in their first character and their length: one per fingerprint bucket.
    const pool = Array.from({ length: 8 }, (_, index) => `${String.fromCharCode(97 + index)}@${'x'.repeat(1100 + 300 * index)}`);
    fc.assert(fc.property(fc.array(fc.nat(pool.length - 1), { maxLength: 200 }), fc.integer({ min: 1100, max: 8000 }), (picks, maxChars) => {
      const inner = countingScanner();
      const scanner = cachedScanner(inner, { maxChars });
      const model = new Map<string, true>();
      let modelChars = 0;
      let modelScans = 0;
      for (const pick of picks) {
        const text = pool[pick] ?? '';
        scanner.scan(text);
        if (text.length <= maxChars) {
          if (model.delete(text)) model.set(text, true);
          else {
            modelScans += 1;
            model.set(text, true);
            modelChars += text.length;
            for (const [oldest] of model) {
              if (modelChars <= maxChars) break;
              model.delete(oldest);
              modelChars -= oldest.length;
            }
          }
        } else modelScans += 1;
        expect(inner.scans).toBe(modelScans);
      }
    }));
  });

  it('keeps texts that differ only in a leading number apart', () => {
    const inner = countingScanner();
    const scanner = cachedScanner(inner);
    const texts = Array.from({ length: 50 }, (_, index) => `${1000 + index}: ${'x'.repeat(1500)}@`);
    texts.forEach((text) => scanner.scan(text));
    expect(texts.map((text) => scanner.scan(text))).toEqual(texts.map(() => [{ type: 'email', start: 1506, end: 1507 }]));
    expect(inner.scans).toBe(50);
  });
});
