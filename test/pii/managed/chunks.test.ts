import fc from 'fast-check';
import { codePointOffsets, splitUtf8, utf8Length } from '../../../lambda/pii/managed/chunks';

/** Text made of words, spaces, line breaks, accents and emoji: what prompts hold. */
const promptText = fc
  .array(fc.constantFrom('Jane', 'Doe', ' ', ' ', '\n', 'é', '日本', '😀', '👩‍👩‍👧', 'x'.repeat(40), '\t', '12 Main St'), { maxLength: 200 })
  .map((parts) => parts.join(''));

describe('splitUtf8', () => {
  test('a text that fits is one chunk at offset 0', () => {
    expect(splitUtf8('Jane Doe lives here', 100)).toEqual([{ text: 'Jane Doe lives here', offset: 0 }]);
    expect(splitUtf8('', 100)).toEqual([]);
  });

  test('every chunk is a slice of the source, fits the limit, and together they cover the text', () => {
    fc.assert(
      fc.property(promptText, fc.integer({ min: 4, max: 120 }), (text, maxBytes) => {
        const chunks = splitUtf8(text, maxBytes);
        let covered = 0;
        for (const chunk of chunks) {
          expect(text.slice(chunk.offset, chunk.offset + chunk.text.length)).toBe(chunk.text);
          expect(utf8Length(chunk.text)).toBeLessThanOrEqual(maxBytes);
          // Chunks may overlap their predecessor but never leave a gap, and always make progress.
          expect(chunk.offset).toBeLessThanOrEqual(covered);
          expect(chunk.offset + chunk.text.length).toBeGreaterThan(covered);
          covered = chunk.offset + chunk.text.length;
        }
        expect(covered).toBe(text.length);
      }),
    );
  });

  test('never cuts an emoji (a surrogate pair) in two', () => {
    fc.assert(
      fc.property(promptText, fc.integer({ min: 4, max: 60 }), (text, maxBytes) => {
        for (const chunk of splitUtf8(text, maxBytes)) {
          expect(chunk.text).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
        }
      }),
    );
  });

  test('cuts at a line break or a space rather than inside a word', () => {
    const text = `${'alpha '.repeat(30)}\n${'beta '.repeat(30)}`;
    const chunks = splitUtf8(text, 200);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks.slice(0, -1)) expect(chunk.text).toMatch(/\s$/);
    for (const chunk of chunks.slice(1)) expect(chunk.text).toMatch(/^(alpha|beta)/);
  });

  test('a name that straddles a cut is whole in the overlapping next chunk', () => {
    const text = `${'word '.repeat(19_998)}xx Jane Doe ${'word '.repeat(100)}`;
    const start = text.indexOf('Jane Doe');
    const chunks = splitUtf8(text, 100_000);
    expect(chunks.some((chunk) => chunk.offset <= start && chunk.offset + chunk.text.length >= start + 8)).toBe(true);
  });

  test('rejects a limit that could not hold one code point', () => {
    expect(() => splitUtf8('abc', 3)).toThrow(RangeError);
  });
});

describe('codePointOffsets', () => {
  test('is the identity for text without astral characters', () => {
    const toUtf16 = codePointOffsets('Jane Doe, 東京');
    expect([0, 5, 10, 12].map((offset) => toUtf16(offset))).toEqual([0, 5, 10, 12]);
    expect(toUtf16(13)).toBeUndefined();
  });

  test('counts an emoji as one code point and two UTF-16 units', () => {
    const text = '😀 Jane 👩‍👩‍👧 Doe';
    const toUtf16 = codePointOffsets(text);
    const codePoints = [...text];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: codePoints.length }), (codePoint) => {
        expect(toUtf16(codePoint)).toBe(codePoints.slice(0, codePoint).join('').length);
      }),
    );
    expect(toUtf16(codePoints.length + 1)).toBeUndefined();
    expect(toUtf16(-1)).toBeUndefined();
    expect(toUtf16(1.5)).toBeUndefined();
  });
});
