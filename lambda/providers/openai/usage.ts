import type { TokenUsage } from '../../canonical/usage';

function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A token count: a finite, non-negative integer. Anything else is treated as missing. */
function tokenCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/** `details[key]` when `details` is an object (providers send `null` or omit it), else undefined. */
function detailCount(details: unknown, key: string): number | undefined {
  return isRecord(details) ? tokenCount(details[key]) : undefined;
}

/**
 * Maps an OpenAI `usage` object (chat/completions, completions or embeddings) to TokenUsage.
 *
 * - `prompt_tokens` is required; without a valid one the report is unusable and this returns undefined.
 * - `completion_tokens` missing (embeddings) → `total_tokens - prompt_tokens` when both are there,
 *   else 0; for embeddings the two totals are equal, so output is 0.
 * - `prompt_tokens_details.cached_tokens` and `completion_tokens_details.reasoning_tokens` missing or
 *   `null` → 0. They are subsets of input and output, so they are capped at those totals: a provider
 *   reporting more cached tokens than prompt tokens must not produce a negative uncached price.
 *
 * @example
 * parseOpenAiUsage({ prompt_tokens: 12, completion_tokens: 30, prompt_tokens_details: { cached_tokens: 8 } })
 * // → { inputTokens: 12, outputTokens: 30, cachedTokens: 8, cacheWriteTokens: 0, reasoningTokens: 0 }
 */
export function parseOpenAiUsage(usage: unknown): TokenUsage | undefined {
  return parseUsageFields(usage, CHAT_USAGE_FIELDS);
}

/** Where an OpenAI usage object keeps each count: Chat/embeddings and Responses name them differently. */
export interface UsageFieldNames {
  readonly input: string;
  readonly output: string;
  readonly inputDetails: string;
  readonly outputDetails: string;
}

const CHAT_USAGE_FIELDS: UsageFieldNames = {
  input: 'prompt_tokens', output: 'completion_tokens', inputDetails: 'prompt_tokens_details', outputDetails: 'completion_tokens_details',
};

/** The rules above, for an OpenAI usage object whose fields have the given names. */
export function parseUsageFields(usage: unknown, names: UsageFieldNames): TokenUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const inputTokens = tokenCount(usage[names.input]);
  if (inputTokens === undefined) return undefined;
  const total = tokenCount(usage.total_tokens);
  const outputTokens = tokenCount(usage[names.output])
    ?? (total !== undefined && total >= inputTokens ? total - inputTokens : 0);
  const cached = detailCount(usage[names.inputDetails], 'cached_tokens') ?? 0;
  const reasoning = detailCount(usage[names.outputDetails], 'reasoning_tokens') ?? 0;
  return {
    inputTokens,
    outputTokens,
    cachedTokens: Math.min(cached, inputTokens),
    // OpenAI caches prompts automatically and reports no cache writes; they are billed as plain input.
    cacheWriteTokens: 0,
    reasoningTokens: Math.min(reasoning, outputTokens),
  };
}
