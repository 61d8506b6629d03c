import { costBound, countImages, IMAGE_TOKEN_ALLOWANCE, TOOLS_TOKEN_ALLOWANCE } from '../../lambda/governance/cost-bound';
import { canonicalRequest } from '../support/canonical';
import { config, stageInput } from './governance-fixture';

describe('costBound', () => {
  it('bounds input by the body bytes and output by the caller limit, priced per token in nano-USD', () => {
    const bound = costBound(stageInput({ model: 'cheap', bodyBytes: 100, canonical: { maxTokens: 50 } }), config);
    // cheap: $1 / $2 per million tokens = 1,000 / 2,000 nano-USD per token.
    expect(bound).toEqual({ inputTokens: 100, outputTokens: 50, costNanoUsd: 100 * 1_000 + 50 * 2_000 });
  });

  it('uses the model cap when the caller sets none, and says so, so the gateway can enforce it', () => {
    const bound = costBound(stageInput({ model: 'cheap', bodyBytes: 10 }), config);
    expect(bound.outputTokenCap).toBe(100);
    expect(bound.outputTokens).toBe(100);
  });

  it('falls back to settings.defaultMaxOutputTokens for a model without a cap', () => {
    const noCap = { ...config, models: { plain: { provider: 'p', model: 'plain', price: { input: 1, output: 1 } } } };
    const input = { ...stageInput({ model: 'cheap' }), deployments: [{ modelName: 'plain', model: { provider: 'p', model: 'plain', price: { input: 1, output: 1 } }, providerName: 'p', provider: { type: 'openai' as const, baseUrl: 'http://x' } }] };
    expect(costBound(input, noCap).outputTokenCap).toBe(1000);
  });

  it('prices at the dearest deployment with input at the cache-write price, and caps output at the smallest model cap', () => {
    const bound = costBound(stageInput({ model: 'smart', deployments: ['dear', 'cheap'], bodyBytes: 1000 }), config);
    // Output cap: min(200, 100) = 100, valid for both models. Input at dear's cacheWrite 12.5 $/M.
    expect(bound.outputTokenCap).toBe(100);
    expect(bound.costNanoUsd).toBe(1000 * 12_500 + 100 * 20_000);
  });

  it('adds an allowance per image, tool results included, and one for declared tools', () => {
    const image = { type: 'image' as const, source: { kind: 'url' as const, url: 'https://example.com/a.png' } };
    const canonical = canonicalRequest('cheap', {
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'look' }, image, image] },
        { role: 'user', content: [{ type: 'tool_result', toolCallId: 't', isError: false, content: [image] }] },
      ],
    });
    expect(countImages(canonical)).toBe(3);
    const bound = costBound(stageInput({ bodyBytes: 10, canonical: { ...canonical, tools: [{ name: 'f', inputSchema: {} }], maxTokens: 1 } }), config);
    expect(bound.inputTokens).toBe(10 + 3 * IMAGE_TOKEN_ALLOWANCE + TOOLS_TOKEN_ALLOWANCE);
  });
});

describe('cost bound of an API that generates nothing', () => {
  it('reserves no output for embeddings and sets no cap', () => {
    const input = stageInput();
    const { outputLimitField: _generates, ...call } = input.call;
    const bound = costBound({ ...input, call: { ...call, format: 'openai-embeddings' } }, config);
    expect(bound.outputTokens).toBe(0);
    expect(bound.outputTokenCap).toBeUndefined();
  });
});
