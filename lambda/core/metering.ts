import type { ModelPrice } from '../config/gateway-config';
import type { TokenUsage } from '../canonical/usage';

/** Rough characters-per-token for English text and JSON; used only when a provider reported nothing. */
const CHARS_PER_TOKEN = 4;

/**
 * USD cost of one request; prices are per million tokens. Input splits three ways: tokens read from the
 * provider's cache (`cachedInput`), tokens written to it (`cacheWrite`), and the rest (`input`).
 */
export function costUsd(usage: TokenUsage, price: ModelPrice): number {
  const cached = Math.min(usage.cachedTokens, usage.inputTokens);
  const cacheWrite = Math.min(usage.cacheWriteTokens, usage.inputTokens - cached);
  const uncached = usage.inputTokens - cached - cacheWrite;
  const cost = (uncached * price.input + cached * (price.cachedInput ?? price.input) + cacheWrite * (price.cacheWrite ?? price.input)
    + usage.outputTokens * price.output) / 1_000_000;
  // Round to 1e-10 USD so sums of many records do not drift with float noise.
  return Math.round(cost * 1e10) / 1e10;
}

/**
 * Estimate for streams cut before the provider's usage report (client disconnect, upstream failure):
 * the prompt from the request size, the output from the characters already forwarded.
 */
export function estimateUsage(requestBytes: number, outputChars: number): TokenUsage {
  return {
    inputTokens: Math.ceil(requestBytes / CHARS_PER_TOKEN),
    outputTokens: Math.ceil(outputChars / CHARS_PER_TOKEN),
    cachedTokens: 0,
    cacheWriteTokens: 0,
    reasoningTokens: 0,
  };
}

/** Cost formatted for headers and SSE trailers: fixed-point, no exponent notation. */
export function formatCost(cost: number): string {
  return cost.toFixed(10).replace(/0+$/, '').replace(/\.$/, '.0');
}
