import { parseOpenAiUsage } from '../../../lambda/providers/openai/usage';

describe('parseOpenAiUsage', () => {
  it('maps chat/completions usage with cached and reasoning details', () => {
    expect(parseOpenAiUsage({
      prompt_tokens: 1337,
      completion_tokens: 231,
      total_tokens: 1568,
      prompt_tokens_details: { cached_tokens: 1024, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 192, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    })).toEqual({ inputTokens: 1337, outputTokens: 231, cachedTokens: 1024, cacheWriteTokens: 0, reasoningTokens: 192 });
  });

  it('treats missing or null details as 0', () => {
    expect(parseOpenAiUsage({ prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 }))
      .toEqual({ inputTokens: 9, outputTokens: 12, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(parseOpenAiUsage({ prompt_tokens: 9, completion_tokens: 12, prompt_tokens_details: null, completion_tokens_details: null }))
      .toEqual({ inputTokens: 9, outputTokens: 12, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(parseOpenAiUsage({ prompt_tokens: 9, completion_tokens: 12, prompt_tokens_details: {}, completion_tokens_details: { reasoning_tokens: null } }))
      .toEqual({ inputTokens: 9, outputTokens: 12, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('accepts embeddings usage (prompt_tokens and total_tokens only) with 0 output', () => {
    expect(parseOpenAiUsage({ prompt_tokens: 8, total_tokens: 8 }))
      .toEqual({ inputTokens: 8, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
    expect(parseOpenAiUsage({ prompt_tokens: 8 }))
      .toEqual({ inputTokens: 8, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('derives output from total_tokens when completion_tokens is missing', () => {
    expect(parseOpenAiUsage({ prompt_tokens: 8, total_tokens: 20 })?.outputTokens).toBe(12);
    expect(parseOpenAiUsage({ prompt_tokens: 8, total_tokens: 5 })?.outputTokens).toBe(0);
  });

  it('caps cached and reasoning tokens at the totals they are part of', () => {
    expect(parseOpenAiUsage({ prompt_tokens: 10, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 50 }, completion_tokens_details: { reasoning_tokens: 9 } }))
      .toEqual({ inputTokens: 10, outputTokens: 4, cachedTokens: 10, cacheWriteTokens: 0, reasoningTokens: 4 });
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an array', [1, 2]],
    ['an empty object', {}],
    ['a string prompt_tokens', { prompt_tokens: '12', completion_tokens: 3 }],
    ['a negative prompt_tokens', { prompt_tokens: -1, completion_tokens: 3 }],
    ['a fractional prompt_tokens', { prompt_tokens: 1.5, completion_tokens: 3 }],
    ['a NaN prompt_tokens', { prompt_tokens: Number.NaN }],
  ])('returns undefined for %s', (_label, usage) => {
    expect(parseOpenAiUsage(usage)).toBeUndefined();
  });

  it('treats an invalid optional count as missing', () => {
    expect(parseOpenAiUsage({ prompt_tokens: 5, completion_tokens: 'many', prompt_tokens_details: { cached_tokens: -3 } }))
      .toEqual({ inputTokens: 5, outputTokens: 0, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });
});
