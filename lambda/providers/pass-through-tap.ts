import type { TokenUsage } from '../canonical/usage';

/**
 * A same-format stream on its way to the caller: the provider's bytes go through (re-framed at most),
 * and the tap only reads what metering needs. One per wire format (Chat, Responses, Messages).
 */
export interface PassThroughTapOptions {
  /** The provider reported usage; the returned fields (cost) may be merged into the caller's usage object where the format has room. */
  onUsage(usage: TokenUsage): Readonly<Record<string, unknown>> | undefined;
  /** SSE comment text written just before the stream's terminal frame, once. */
  trailer(): string | undefined;
  /** One provider event longer than this ends the stream with 502 `upstream_response_too_large`. */
  readonly maxEventBytes: number;
  /** Credentials this call was sent with; never forwarded to the caller, even if a provider echoes one. */
  readonly secrets: readonly string[];
}

export interface PassThroughTap {
  readonly stream: AsyncIterable<Uint8Array>;
  /** Characters of generated output seen so far: the basis of an estimate when no usage arrives. */
  outputChars(): number;
}
