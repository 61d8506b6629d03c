import { costUsd, estimateUsage, formatCost } from '../../lambda/core/metering';

const price = { input: 3, output: 15, cachedInput: 0.3 };

describe('metering', () => {
  it('prices input, cached input and output per million tokens', () => {
    // 1,000 input of which 400 cached; 200 output: 600*3 + 400*0.3 + 200*15 = 4,920 per million.
    expect(costUsd({ inputTokens: 1000, outputTokens: 200, cachedTokens: 400, cacheWriteTokens: 0, reasoningTokens: 50 }, price)).toBeCloseTo(0.00492, 12);
  });

  it('bills cached tokens at the input price when the model has no cached price', () => {
    expect(costUsd({ inputTokens: 100, outputTokens: 0, cachedTokens: 100, cacheWriteTokens: 0, reasoningTokens: 0 }, { input: 1, output: 2 })).toBeCloseTo(0.0001, 12);
  });

  it('never counts more cached tokens than input tokens', () => {
    expect(costUsd({ inputTokens: 10, outputTokens: 0, cachedTokens: 50, cacheWriteTokens: 0, reasoningTokens: 0 }, price)).toBeCloseTo(10 * 0.3 / 1e6, 12);
  });

  it('estimates roughly four characters per token', () => {
    expect(estimateUsage(400, 41)).toEqual({ inputTokens: 100, outputTokens: 11, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 });
  });

  it('formats costs without exponent notation', () => {
    expect(formatCost(0.0000012)).toBe('0.0000012');
    expect(formatCost(0)).toBe('0.0');
    expect(formatCost(1.5)).toBe('1.5');
  });
});
