import type { ProviderCredentials } from '../../secrets/provider-credentials';
import type { Deployment, ProviderAdapter, ProviderRequest, ProviderResult, StreamHooks, WireFormat } from '../provider';
import { callNative } from './openai-passthrough';
import { callTranslated } from './openai-translated';

/**
 * Whether the caller's format is the provider's own: passed through, bytes tapped. Responses is native
 * only where the provider has it (OpenAI by default; a compatible server when `supportsResponses`).
 */
function isNative(deployment: Deployment, format: WireFormat): boolean {
  switch (format) {
    case 'openai-chat':
    case 'openai-embeddings':
    case 'openai-completions':
      return true;
    case 'openai-responses': {
      const provider = deployment.provider;
      return provider.type !== 'anthropic' && (provider.supportsResponses ?? provider.type === 'openai');
    }
    case 'anthropic-messages':
      return false;
  }
}

/** Formats served by translation from the canonical request: everything with a chat-like shape. */
function isTranslatable(format: WireFormat): boolean {
  return format === 'openai-responses' || format === 'anthropic-messages';
}

/**
 * OpenAI and every OpenAI-compatible endpoint: same code, different `baseUrl` and key. Same-format
 * callers take the pass-through (openai-passthrough.ts); Messages callers, and Responses callers of a
 * provider without Responses, are translated (openai-translated.ts).
 */
export function createOpenAiProvider(): ProviderAdapter {
  return {
    serves(deployment: Deployment, format: WireFormat): boolean {
      return isNative(deployment, format) || isTranslatable(format);
    },
    isNative,
    call(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials, hooks: StreamHooks): Promise<ProviderResult> {
      return isNative(deployment, request.format)
        ? callNative(deployment, request, credentials, hooks)
        : callTranslated(deployment, request, credentials);
    },
  };
}
