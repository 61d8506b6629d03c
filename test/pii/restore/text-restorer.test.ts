import fc from 'fast-check';
import { compilePlaceholderTable, createTextRestorer, restoreText, type RestoreMode } from '../../../lambda/pii/restore';
import { placeholderText } from '../../../lambda/pii/placeholders';
import { cutText, ORIGINALS, restoredByHand } from './support';

const table = compilePlaceholderTable(ORIGINALS);

function restoreInPieces(pieces: readonly string[], mode: RestoreMode = 'plain', originals = ORIGINALS): { out: string } {
  const restorer = createTextRestorer(compilePlaceholderTable(originals), mode);
  const outputs = pieces.map((piece) => restorer.push(piece));
  outputs.push(restorer.end());
  return { out: outputs.join('') };
}

describe('restoreText', () => {
  it('puts every known placeholder back, wherever it sits', () => {
    expect(restoreText('Write to [EMAIL_1].', table, 'plain')).toBe('Write to alice@example.com.');
    expect(restoreText('[EMAIL_1][PHONE_12]', table, 'plain')).toBe('alice@example.com+44 [20] 7946 0958');
    expect(restoreText('[[EMAIL_1]]', table, 'plain')).toBe('[alice@example.com]');
  });

  it('leaves placeholder-shaped text that is not a key exactly as it is', () => {
    for (const text of ['[EMAIL_2]', '[NOTE_1]', '[EMAIL_1 ]', '[email_1]', '[EMAIL_1', 'EMAIL_1]', '[]', '[1]', '[a](http://x)']) {
      expect(restoreText(text, table, 'plain')).toBe(text);
    }
  });

  it('never restores inside a restored value (an original that looks like a placeholder stays)', () => {
    const tricky = compilePlaceholderTable(new Map([['[A_1]', '[B_1]'], ['[B_1]', 'b']]));
    expect(restoreText('[A_1] [B_1]', tricky, 'plain')).toBe('[B_1] b');
  });

  it('in JSON-string mode inserts the original escaped, so the JSON stays valid', () => {
    const args = JSON.stringify({ key: 'use [API_KEY_1] now' });
    const restored = restoreText(args, table, 'json-string');
    expect(JSON.parse(restored)).toEqual({ key: `use ${ORIGINALS.get('[API_KEY_1]') ?? ''} now` });
  });

  it('rejects a key that is not placeholder-shaped', () => {
    expect(() => compilePlaceholderTable(new Map([['EMAIL_1', 'x']]))).toThrow(TypeError);
    expect(() => compilePlaceholderTable(new Map([['[email_1]', 'x']]))).toThrow(TypeError);
  });
});

describe('createTextRestorer', () => {
  const sentence = 'Mail [EMAIL_1], key [API_KEY_1] or call [PHONE_12]; not [EMAIL_2] nor [1].';
  const expected = restoredByHand(sentence);

  it('gives the same output at every split point into two pieces', () => {
    for (let at = 0; at <= sentence.length; at++) {
      expect(restoreInPieces([sentence.slice(0, at), sentence.slice(at)]).out).toBe(expected);
    }
  });

  it('gives the same output at every pair of split points (three pieces, empty ones included)', () => {
    for (let a = 0; a <= sentence.length; a++) {
      for (let b = a; b <= sentence.length; b++) {
        expect(restoreInPieces([sentence.slice(0, a), sentence.slice(a, b), sentence.slice(b)]).out).toBe(expected);
      }
    }
  });

  it('character by character', () => {
    expect(restoreInPieces([...sentence]).out).toBe(expected);
  });

  it('holds back only the start of one of the request\'s placeholders', () => {
    const restorer = createTextRestorer(table, 'plain');
    expect(restorer.push('see [EM')).toBe('see ');
    expect(restorer.holding).toBe(true);
    expect(restorer.push('AIL_1] and')).toBe('alice@example.com and');
    expect(restorer.holding).toBe(false);
    expect(restorer.push(' [')).toBe(' ');
    expect(restorer.end()).toBe('[');
  });

  it('never delays text that cannot become one of the placeholders', () => {
    const restorer = createTextRestorer(table, 'plain');
    for (const piece of ['[1', '[a', '[link', '](x)', '[NOTE', '[EMAIL_1 ', '[EMAIL_1(', '[API_KEY_1_', '[' + 'A'.repeat(80)]) {
      // Only a trailing `[` may be held; nothing here ends in a key prefix.
      expect(restorer.push(piece)).toBe(piece);
      expect(restorer.holding).toBe(false);
    }
  });

  it('a run that turns out not to be a key goes out unchanged as soon as that is known', () => {
    const restorer = createTextRestorer(table, 'plain');
    expect(restorer.push('[EMAIL_')).toBe('');
    expect(restorer.push('3')).toBe('[EMAIL_3');
    expect(restorer.push('[PHONE_1')).toBe('');
    expect(restorer.push('2')).toBe('');
    expect(restorer.push('3] ok')).toBe('[PHONE_123] ok');
  });
});

/** Text built from pieces placeholders are likely to be cut from. */
const textPiece = fc.oneof(
  fc.constantFrom('[', ']', '_', '1', '2', 'E', 'EMAIL', 'PHONE', 'API_KEY', '"', '\\', '\n', ' ', 'é', '👋🏽', '[EMAIL_1]', '[PHONE_12]', '[API_KEY_1]', '[EMAIL_2]'),
  fc.string({ maxLength: 4 }),
);
const arbitraryText = fc.array(textPiece, { maxLength: 30 }).map((pieces) => pieces.join(''));

/** Any map of placeholder-shaped keys to any originals. */
const arbitraryOriginals = fc
  .array(fc.tuple(fc.constantFrom('EMAIL', 'PHONE', 'API_KEY', 'E', 'X9'), fc.integer({ min: 1, max: 15 }), fc.string({ unit: 'grapheme', maxLength: 12 })), { maxLength: 6 })
  .map((entries) => new Map(entries.map(([label, n, original]) => [`[${label}_${n}]`, original])));

describe('properties', () => {
  it('restoring in arbitrary pieces equals restoring the whole text, in both modes', () => {
    fc.assert(fc.property(arbitraryText, arbitraryOriginals, fc.array(fc.nat(), { maxLength: 10 }), fc.constantFrom<RestoreMode>('plain', 'json-string'), (text, originals, offsets, mode) => {
      const whole = restoreText(text, compilePlaceholderTable(originals), mode);
      expect(restoreInPieces(cutText(text, offsets.map((o) => o % (text.length + 1))), mode, originals).out).toBe(whole);
    }), { numRuns: 2000 });
  });

  it('holds back at most a run shorter than the longest placeholder, and only a key prefix', () => {
    fc.assert(fc.property(arbitraryText, arbitraryOriginals, fc.array(fc.nat(), { maxLength: 10 }), (text, originals, offsets) => {
      const restorer = createTextRestorer(compilePlaceholderTable(originals), 'plain');
      let input = '';
      let output = '';
      for (const piece of cutText(text, offsets.map((o) => o % (text.length + 1)))) {
        input += piece;
        output += restorer.push(piece);
        const held = restorer.end();
        // end() is a flush; put the held text back by pushing it again, as the stream goes on.
        expect(held === '' || [...originals.keys()].some((key) => key.startsWith(held) && key !== held)).toBe(true);
        expect(input.endsWith(held)).toBe(true);
        output += restorer.push(held);
      }
      expect(output + restorer.end()).toBe(restoreText(text, compilePlaceholderTable(originals), 'plain'));
    }), { numRuns: 1000 });
  });

  /** Segments of a prompt: plain text, or a value the redactor replaces. */
  const segments = fc.array(
    fc.oneof(
      fc.record({ literal: fc.string({ unit: 'grapheme', maxLength: 8 }) }),
      fc.record({ type: fc.constantFrom('email', 'api_key', 'employee-id'), value: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.constantFrom('[EMAIL_1]', '"', '\\', '\n', ']', '[', '\u2028')) }),
    ),
    { maxLength: 12 },
  );

  /** Redacts like the gateway: one placeholder per distinct value and type, numbered per type. */
  function redact(parts: ReadonlyArray<{ literal: string } | { type: string; value: string }>): { original: string; redacted: string; originals: Map<string, string> } {
    const originals = new Map<string, string>();
    const byValue = new Map<string, string>();
    const counts = new Map<string, number>();
    let original = '';
    let redacted = '';
    for (const part of parts) {
      if ('literal' in part) {
        original += part.literal;
        redacted += part.literal;
        continue;
      }
      let placeholder = byValue.get(`${part.type}\u0000${part.value}`);
      if (placeholder === undefined) {
        const n = (counts.get(part.type) ?? 0) + 1;
        counts.set(part.type, n);
        placeholder = placeholderText(part.type, n);
        byValue.set(`${part.type}\u0000${part.value}`, placeholder);
        originals.set(placeholder, part.value);
      }
      original += part.value;
      redacted += placeholder;
    }
    return { original, redacted, originals };
  }

  /** The prompt's own text must not already contain one of the placeholders (the redactor numbers around those). */
  function literalsFree(parts: ReadonlyArray<{ literal: string } | { type: string; value: string }>, originals: ReadonlyMap<string, string>): boolean {
    const literalRuns = parts.map((part) => ('literal' in part ? part.literal : '\u0000')).join('');
    return [...originals.keys()].every((key) => !literalRuns.includes(key));
  }

  it('redact-then-restore is the identity, at any split', () => {
    fc.assert(fc.property(segments, fc.array(fc.nat(), { maxLength: 10 }), (parts, offsets) => {
      const { original, redacted, originals } = redact(parts);
      fc.pre(literalsFree(parts, originals));
      expect(restoreInPieces(cutText(redacted, offsets.map((o) => o % (redacted.length + 1))), 'plain', originals).out).toBe(original);
    }), { numRuns: 2000 });
  });

  it('in JSON-string mode, restored argument JSON parses to the original values, at any split', () => {
    fc.assert(fc.property(segments, fc.array(fc.nat(), { maxLength: 10 }), (parts, offsets) => {
      const { original, redacted, originals } = redact(parts);
      fc.pre(literalsFree(parts, originals));
      const args = JSON.stringify({ q: redacted, list: [redacted] });
      const { out } = restoreInPieces(cutText(args, offsets.map((o) => o % (args.length + 1))), 'json-string', originals);
      expect(JSON.parse(out)).toEqual({ q: original, list: [original] });
    }), { numRuns: 1000 });
  });

  it('JSON-string mode output embedded in a string literal is valid JSON with the plain restoration as value', () => {
    fc.assert(fc.property(arbitraryText, arbitraryOriginals, (text, originals) => {
      const inner = JSON.stringify(text).slice(1, -1);
      const compiled = compilePlaceholderTable(originals);
      expect(JSON.parse(`"${restoreText(inner, compiled, 'json-string')}"`)).toBe(restoreText(text, compiled, 'plain'));
    }), { numRuns: 1000 });
  });
});
