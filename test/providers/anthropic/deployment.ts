import type { CanonicalRequest } from '../../../lambda/canonical/request';
import type { Deployment } from '../../../lambda/providers/provider';
import { canonicalRequest } from '../../support/canonical';

export function anthropicDeployment(baseUrl = 'http://127.0.0.1:1', model = 'claude-sonnet-4-5'): Deployment {
  return {
    modelName: 'my-claude',
    model: { provider: 'anthropic', model, price: { input: 3, output: 15 } },
    providerName: 'anthropic',
    provider: { type: 'anthropic', baseUrl },
  };
}

/** A one-turn canonical request for `my-claude`; the shared builder with this folder's model name. */
export function canonical(overrides: Partial<CanonicalRequest> = {}): CanonicalRequest {
  return canonicalRequest('my-claude', overrides);
}
