import type { TokenUsage } from '../../../canonical/usage';
import { parseUsageFields } from '../usage';

/**
 * Maps a Responses `usage` object to TokenUsage, by the same rules as Chat's (see parseOpenAiUsage):
 * `input_tokens` includes the cached ones and `output_tokens` the reasoning ones; subsets are capped
 * at their totals; without a valid `input_tokens` the report is unusable (undefined).
 *
 * @example
 * parseResponsesUsage({ input_tokens: 12, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5,
 *   output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 17 })
 * // → { inputTokens: 12, outputTokens: 5, cachedTokens: 4, cacheWriteTokens: 0, reasoningTokens: 2 }
 */
export function parseResponsesUsage(usage: unknown): TokenUsage | undefined {
  return parseUsageFields(usage, {
    input: 'input_tokens', output: 'output_tokens', inputDetails: 'input_tokens_details', outputDetails: 'output_tokens_details',
  });
}
