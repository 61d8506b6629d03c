import type { TokenUsage } from '../../../canonical/usage';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count: a finite, non-negative integer. Anything else is treated as missing. */
function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function detailCount(details: unknown, key: string): number | undefined {
  return isRecord(details) ? tokenCount(details[key]) : undefined;
}

/**
 * Maps a Responses `usage` object to TokenUsage. `input_tokens` already includes the cached ones and
 * `output_tokens` the reasoning ones, as TokenUsage wants; the subsets are capped at their totals so a
 * provider's inconsistent report can never price a negative remainder. Without a valid `input_tokens`
 * the report is unusable and this returns undefined. OpenAI reports no cache writes.
 *
 * @example
 * parseResponsesUsage({ input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5,
 *   output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 17 })
 * // → { inputTokens: 12, outputTokens: 5, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 2 }
 */
export function parseResponsesUsage(usage: unknown): TokenUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const inputTokens = tokenCount(usage.input_tokens);
  if (inputTokens === undefined) return undefined;
  const total = tokenCount(usage.total_tokens);
  const outputTokens = tokenCount(usage.output_tokens)
    ?? (total !== undefined && total >= inputTokens ? total - inputTokens : 0);
  const cached = detailCount(usage.input_tokens_details, 'cached_tokens') ?? 0;
  const reasoning = detailCount(usage.output_tokens_details, 'reasoning_tokens') ?? 0;
  return {
    inputTokens,
    outputTokens,
    cachedTokens: Math.min(cached, inputTokens),
    cacheWriteTokens: 0,
    reasoningTokens: Math.min(reasoning, outputTokens),
  };
}
