import fc from 'fast-check';
import { PlaceholderBook, placeholderText } from '../../lambda/pii/placeholders';
import { probeOf, ValueReplacer } from '../../lambda/pii/redaction';

describe('placeholders within one request', () => {
  it('give the same value the same placeholder and count per type', () => {
    const book = new PlaceholderBook([]);
    expect(book.placeholderFor('email', 'a@example.com')).toBe('[EMAIL_1]');
    expect(book.placeholderFor('email', 'b@example.com')).toBe('[EMAIL_2]');
    expect(book.placeholderFor('api_key', 'sk-x')).toBe('[API_KEY_1]');
    expect(book.placeholderFor('email', 'a@example.com')).toBe('[EMAIL_1]');
  });

  it('never hand out a placeholder the prompt already contains', () => {
    const book = new PlaceholderBook(['the template says [EMAIL_1] and [EMAIL_3]']);
    expect(book.placeholderFor('email', 'a@example.com')).toBe('[EMAIL_2]');
    expect(book.placeholderFor('email', 'b@example.com')).toBe('[EMAIL_4]');
  });

  it('count only the exact spelling of a number as taken', () => {
    const book = new PlaceholderBook(['[EMAIL_01] [EMAIL_2 [EMAIL_[EMAIL_3]', '[EMAIL_', '[X_1_1] [API_KEY_1x] [API_KEY_2]']);
    expect(['a', 'b', 'c'].map((value) => book.placeholderFor('email', value))).toEqual(['[EMAIL_1]', '[EMAIL_2]', '[EMAIL_4]']);
    expect(book.placeholderFor('x_1', 'd')).toBe('[X_1_2]');
    expect(['e', 'f'].map((value) => book.placeholderFor('api_key', value))).toEqual(['[API_KEY_1]', '[API_KEY_3]']);
  });

  it('hand out what checking each placeholder against every text would (property)', () => {
    const piece = fc.constantFrom('[EMAIL_', '[X_1_', '1', '2', '3', '0', ']', ' ', '[', '_', 'EMAIL');
    const type = fc.constantFrom('email', 'x_1', 'x');
    fc.assert(fc.property(fc.array(fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')), { maxLength: 4 }), fc.array(type, { maxLength: 6 }), (texts, types) => {
      const book = new PlaceholderBook(texts);
      const next = new Map<string, number>();
      types.forEach((kind, value) => {
        let index = next.get(kind) ?? 1;
        while (texts.some((text) => text.includes(placeholderText(kind, index)))) index += 1;
        next.set(kind, index + 1);
        expect(book.placeholderFor(kind, String(value))).toBe(placeholderText(kind, index));
      });
    }));
  });
});

describe('rewriting a request', () => {
  const replacer = new ValueReplacer([['alice@example.com', '[EMAIL_1]'], ['line1\nline2', '[PRIVATE_KEY_1]']]);

  it('replaces every occurrence in every string, sharing what did not change', () => {
    const untouched = { role: 'system', content: 'be brief' };
    const body = { model: 'm', messages: [untouched, { role: 'user', content: 'mail alice@example.com or ALICE: alice@example.com' }] };
    const rewritten = replacer.rewrite(body);
    expect(rewritten.messages[1]).toEqual({ role: 'user', content: 'mail [EMAIL_1] or ALICE: [EMAIL_1]' });
    expect(rewritten.messages[0]).toBe(untouched);
    expect(body.messages[1]?.content).toContain('alice@example.com');
  });

  it('rewrites long strings of the same length each by its own content, and a string met twice the same both times', () => {
    const fresh = new ValueReplacer([['alice@example.com', '[EMAIL_1]']]);
    const holding = `${'x'.repeat(100)} alice@example.com ${'y'.repeat(100)}`;
    const other = 'z'.repeat(holding.length);
    const sameAsHolding = [...holding].join('');
    const rewritten = fresh.rewrite({ texts: [other, holding, other, sameAsHolding] });
    const expected = `${'x'.repeat(100)} [EMAIL_1] ${'y'.repeat(100)}`;
    expect(rewritten.texts).toEqual([other, expected, other, expected]);
  });

  it('replaces the JSON-escaped spelling inside tool-call arguments and the plain one in structured inputs', () => {
    const body = {
      messages: [
        { role: 'assistant', tool_calls: [{ function: { arguments: JSON.stringify({ key: 'line1\nline2' }) } }] },
        { role: 'assistant', content: [{ type: 'tool_use', input: { key: 'line1\nline2' } }] },
      ],
    };
    const text = JSON.stringify(replacer.rewrite(body));
    expect(text).not.toContain('line1');
    expect(text.match(/\[PRIVATE_KEY_1\]/g)).toHaveLength(2);
  });

  it('leaves reasoning, signatures and binary data byte-exact', () => {
    const body = {
      content: [
        { type: 'thinking', thinking: 'alice@example.com', signature: 'sig' },
        { type: 'image', source: { type: 'base64', data: 'alice@example.com' } },
        { type: 'image_url', image_url: { url: 'https://x/alice@example.com' } },
        { type: 'input_image', image_url: 'data:image/png;base64,alice@example.com' },
        { type: 'reasoning', encrypted_content: 'alice@example.com', summary: [{ text: 'alice@example.com' }] },
      ],
    };
    expect(replacer.rewrite(body)).toBe(body);
  });

  it('replaces each occurrence exactly once, whatever surrounds it (property)', () => {
    const noise = fc.string({ unit: fc.constantFrom('x', 'y', ' ', '1', ',', '.', '"', '\\', '\n', 'é', '👋') });
    fc.assert(fc.property(fc.array(noise, { minLength: 1, maxLength: 6 }), fc.constantFrom('alice@example.com', 'line1\nline2'), (pieces, value) => {
      const placeholder = value.startsWith('alice') ? '[EMAIL_1]' : '[PRIVATE_KEY_1]';
      const rewritten = replacer.replaceIn(pieces.join(value));
      expect(rewritten).toBe(pieces.join(placeholder));
    }));
  });

  it('finds a value wherever a piece of it (the part searched first) also occurs elsewhere (property)', () => {
    const value = 'rk_live_WFzPEJYqVpXWChpBK6WG8GqT';
    const probe = probeOf(value);
    expect(value).toContain(probe);
    const single = new ValueReplacer([[value, '[API_KEY_1]']]);
    const noise = fc.constantFrom('x', ' ', 'r', 'rk_', probe, value.slice(0, -1), value.slice(1), '\n', 'W');
    fc.assert(fc.property(fc.array(fc.array(noise, { maxLength: 8 }).map((pieces) => pieces.join('')), { minLength: 1, maxLength: 5 }), (pieces) => {
      // Every occurrence, left to right, as a search for the whole value would replace them.
      const expected = (text: string): string => text.split(value).join('[API_KEY_1]');
      for (const text of [pieces.join(value), `${'y'.repeat(300)}${pieces.join(value)}`, pieces.join('')]) expect(single.replaceIn(text)).toBe(expected(text));
    }));
  });

  it('searches first from the rarest character of a long spelling', () => {
    expect(probeOf('alice.wonder@example.com')).toBe('@example.com');
    expect(probeOf('short@x.io')).toBe('short@x.io');
  });
});
