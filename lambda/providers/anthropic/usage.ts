import type { TokenUsage } from '../../canonical/usage';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count: a finite, non-negative integer. Anything else (absent, null) counts as 0. */
function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function hasCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/**
 * Maps an Anthropic `usage` object to TokenUsage. Anthropic's `input_tokens` excludes the cache, so the
 * canonical total adds both cache counts back: inputTokens = input + cache_read + cache_creation,
 * cachedTokens = cache_read, cacheWriteTokens = cache_creation. Thinking is inside `output_tokens`; its share is
 * `output_tokens_details.thinking_tokens` where Anthropic reports it, else 0. Undefined when the object carries no
 * token count at all.
 *
 * @example
 * parseAnthropicUsage({ input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5, output_tokens: 7 })
 * // → { inputTokens: 105, outputTokens: 7, cachedTokens: 90, cacheWriteTokens: 5, reasoningTokens: 0 }
 */
export function parseAnthropicUsage(usage: unknown): TokenUsage | undefined {
  if (!isRecord(usage)) return undefined;
  if (!hasCount(usage.input_tokens) && !hasCount(usage.output_tokens)) return undefined;
  const cacheRead = tokens(usage.cache_read_input_tokens);
  const cacheWrite = tokens(usage.cache_creation_input_tokens);
  const outputTokens = tokens(usage.output_tokens);
  const details = usage.output_tokens_details;
  const thinking = isRecord(details) ? tokens(details.thinking_tokens) : 0;
  return {
    inputTokens: tokens(usage.input_tokens) + cacheRead + cacheWrite,
    outputTokens,
    cachedTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: Math.min(thinking, outputTokens),
  };
}

/** Canonical usage in Anthropic's shape (the inverse of parseAnthropicUsage). */
export function toAnthropicUsage(usage: TokenUsage | undefined): {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
} {
  if (usage === undefined) return { input_tokens: 0, output_tokens: 0, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 };
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cachedTokens - usage.cacheWriteTokens),
    output_tokens: usage.outputTokens,
    cache_read_input_tokens: usage.cachedTokens,
    cache_creation_input_tokens: usage.cacheWriteTokens,
  };
}
