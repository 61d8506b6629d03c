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
