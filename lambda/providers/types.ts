/** Token counts in the gateway's canonical form. */
export interface TokenUsage {
  /** All prompt tokens, cached ones included. */
  readonly inputTokens: number;
  /** All completion tokens, reasoning ones included. */
  readonly outputTokens: number;
  /** Prompt tokens served from the provider's cache (a subset of inputTokens). */
  readonly cachedTokens: number;
  /** Completion tokens spent on reasoning (a subset of outputTokens). */
  readonly reasoningTokens: number;
}
