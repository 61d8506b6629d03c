import type { CanonicalRequest } from '../../../lambda/canonical/request';
import type { Deployment } from '../../../lambda/providers/provider';

export function anthropicDeployment(baseUrl = 'http://127.0.0.1:1', model = 'claude-sonnet-4-5'): Deployment {
  return {
    modelName: 'my-claude',
    model: { provider: 'anthropic', model, price: { input: 3, output: 15 } },
    providerName: 'anthropic',
    provider: { type: 'anthropic', baseUrl },
  };
}

export function canonical(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return {
    model: 'my-claude',
    system: [],
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
    tools: [],
    stop: [],
    stream: false,
    streamIncludeUsage: false,
    sameFormatOnly: [],
    ...overrides,
  };
}
