import { estimateInputTokens } from '../../../lambda/api/anthropic/count-tokens';
import { parseMessagesRequest } from '../../../lambda/api/anthropic/messages-request';
import { anthropicModel, anthropicModelList } from '../../../lambda/api/anthropic/models';

describe('estimateInputTokens', () => {
  const base = { model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'x'.repeat(400) }] };

  it('counts characters / 4 plus per-message overhead', () => {
    expect(estimateInputTokens(parseMessagesRequest(base))).toBe(100 + 4);
  });

  it('counts system, tools (name, description, schema) and images', () => {
    const withAll = parseMessagesRequest({
      ...base,
      system: 'y'.repeat(40),
      tools: [{ name: 'tool', description: 'desc', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'x'.repeat(400) }, { type: 'image', source: { type: 'url', url: 'https://i' } }] }],
    });
    const schemaChars = JSON.stringify({ type: 'object' }).length;
    expect(estimateInputTokens(withAll)).toBe(Math.ceil((400 + 40 + 4 + 4 + schemaChars) / 4) + 1600 + 4 + 8);
  });
});

describe('Anthropic model list shapes', () => {
  it('lists models the way GET /v1/models does', () => {
    expect(JSON.parse(anthropicModelList(['a', 'b']))).toEqual({
      data: [
        { type: 'model', id: 'a', display_name: 'a', created_at: '1970-01-01T00:00:00Z' },
        { type: 'model', id: 'b', display_name: 'b', created_at: '1970-01-01T00:00:00Z' },
      ],
      has_more: false, first_id: 'a', last_id: 'b',
    });
    expect(JSON.parse(anthropicModelList([]))).toEqual({ data: [], has_more: false, first_id: null, last_id: null });
    expect(JSON.parse(anthropicModel('a'))).toEqual({ type: 'model', id: 'a', display_name: 'a', created_at: '1970-01-01T00:00:00Z' });
  });
});
