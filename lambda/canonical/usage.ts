/** Token counts in the gateway's canonical form. */
export interface TokenUsage {
  /** All prompt tokens, cached ones included. */
  readonly inputTokens: number;
  /** All completion tokens, reasoning ones included. */
  readonly outputTokens: number;
  /** Prompt tokens served from the provider's cache (a subset of inputTokens). */
  readonly cachedTokens: number;
  /**
   * Prompt tokens written to the provider's cache (Anthropic `cache_creation_input_tokens`; a subset of
   * inputTokens, disjoint from cachedTokens), priced at `price.cacheWrite`. 0 where a provider has none.
   */
  readonly cacheWriteTokens: number;
  /** Completion tokens spent on reasoning (a subset of outputTokens). */
  readonly reasoningTokens: number;
}
