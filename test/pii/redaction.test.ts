import fc from 'fast-check';
import { PlaceholderBook, ValueReplacer } from '../../lambda/pii/redaction';

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
});
