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

  it('scans short texts every time', () => {
    const inner = countingScanner();
    const scanner = cachedScanner(inner);
    scanner.scan('a@b');
    scanner.scan('a@b');
    expect(inner.scans).toBe(2);
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
});
