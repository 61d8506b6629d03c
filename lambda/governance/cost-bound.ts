import { gatewaySettings, type GatewayConfig, type ModelPrice } from '../config/gateway-config';
import type { CanonicalRequest, ContentPart } from '../canonical/request';
import type { StageInput } from '../core/stage';

/**
 * Input tokens one image may cost beyond its bytes in the body (a URL image is a few bytes but many
 * tokens). The largest published per-image costs: Anthropic ~1,600 tokens (images scaled to ≤1.15 MP),
 * OpenAI tile-based models 85 + 170 × tiles ≤ ~1,100, patch-based ones ≤ 1,536 patches × 1.62 ≈ 2,500.
 * 6,000 leaves room for newer high-detail modes; it is only reserved, never charged.
 */
export const IMAGE_TOKEN_ALLOWANCE = 6_000;

/**
 * Providers inject a system prompt describing the tools (Anthropic documents ~350 tokens) that the
 * caller's bytes do not contain; reserved once when the request declares tools.
 */
export const TOOLS_TOKEN_ALLOWANCE = 1_000;

/** An upper bound of one request's tokens and cost, whatever deployment serves it. */
export interface CostBound {
  readonly inputTokens: number;
  /** Output tokens reasoning included: the caller's limit, else the model cap. */
  readonly outputTokens: number;
  /** Set when the caller gave no limit: the cap the gateway must set on the provider request so the bound holds. */
  readonly outputTokenCap?: number;
  /** Integer nano-USD, rounded up. */
  readonly costNanoUsd: number;
}

function imagesIn(parts: readonly ContentPart[]): number {
  let count = 0;
  for (const part of parts) {
    if (part.type === 'image') count += 1;
    else if (part.type === 'tool_result') count += part.content.filter((inner) => inner.type === 'image').length;
  }
  return count;
}

export function countImages(request: CanonicalRequest): number {
  return request.messages.reduce((total, message) => total + imagesIn(message.content), 0);
}

/** Nano-USD per token: prices are USD per million tokens. Input at the dearest of its three prices. */
function nanoPerToken(price: ModelPrice): { input: number; output: number } {
  const input = Math.max(price.input, price.cacheWrite ?? price.input, price.cachedInput ?? price.input);
  return { input: input * 1_000, output: price.output * 1_000 };
}

/**
 * Byte-level BPE never yields more tokens than UTF-8 bytes, so the body's size bounds its text; images
 * and the providers' tool prompts are added. Output: the caller's limit, else the smallest cap among
 * the deployments (the gateway sets it on the request, so it must be valid for every model fallback
 * may reach). Priced at the dearest deployment: fallback may serve any of them.
 */
export function costBound(input: StageInput, config: GatewayConfig): CostBound {
  const { canonical, bodyBytes } = input.call;
  const inputTokens = bodyBytes + countImages(canonical) * IMAGE_TOKEN_ALLOWANCE
    + (canonical.tools.length > 0 ? TOOLS_TOKEN_ALLOWANCE : 0);
  const defaultCap = gatewaySettings(config).defaultMaxOutputTokens;
  const modelCap = Math.min(...input.deployments.map((deployment) => deployment.model.maxOutputTokens ?? defaultCap));
  // An API with no output-limit field generates nothing (embeddings): its calls have no output to reserve.
  const generates = input.call.outputLimitField !== undefined;
  const outputTokens = generates ? canonical.maxTokens ?? (Number.isFinite(modelCap) ? modelCap : defaultCap) : 0;
  const costNanoUsd = Math.max(0, ...input.deployments.map((deployment) => {
    const price = nanoPerToken(deployment.model.price);
    return Math.ceil(inputTokens * price.input + outputTokens * price.output);
  }));
  return { inputTokens, outputTokens, costNanoUsd, ...(generates && canonical.maxTokens === undefined ? { outputTokenCap: outputTokens } : {}) };
}
