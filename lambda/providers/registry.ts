import type { ProviderType } from '../config/gateway-config';
import { createAnthropicProvider } from './anthropic/anthropic-provider';
import { createOpenAiProvider } from './openai/openai-provider';
import type { ProviderAdapter } from './provider';

/**
 * Provider adapters by configuration `type`, which the composition roots hand to the gateway. OpenAI and
 * every OpenAI-compatible endpoint share one adapter (configuration, not code); a new provider is one
 * folder plus one line here.
 */
export function defaultProviderRegistry(): ReadonlyMap<ProviderType, ProviderAdapter> {
  const openai = createOpenAiProvider();
  return new Map<ProviderType, ProviderAdapter>([
    ['openai', openai],
    ['openai-compatible', openai],
    ['anthropic', createAnthropicProvider()],
  ]);
}
