import type { StreamEvent } from '../canonical/events';
import type { CanonicalRequest } from '../canonical/request';
import type { ModelConfig, ProviderConfig } from '../config/gateway-config';
import type { HeaderMap } from '../http/types';
import type { ProviderCredentials } from '../secrets/provider-credentials';
import type { TokenUsage } from '../canonical/usage';

/**
 * Wire formats the gateway accepts or speaks upstream. An inbound request in format F routed to a
 * provider speaking F natively is passed through (model id swapped, usage requested, bytes only
 * tapped); otherwise the provider is called from the canonical request in its own format and answers
 * with typed events, which the caller's API encodes. Embeddings and legacy completions are OpenAI-only.
 */
export type WireFormat = 'openai-chat' | 'openai-embeddings' | 'openai-completions' | 'openai-responses' | 'anthropic-messages';

/** One concrete place a public model name can be served from. */
export interface Deployment {
  /** The config's model name (not the alias the caller may have used). */
  readonly modelName: string;
  readonly model: ModelConfig;
  readonly providerName: string;
  readonly provider: ProviderConfig;
}

export interface ProviderRequest {
  readonly requestId: string;
  /** The caller's wire format. */
  readonly format: WireFormat;
  /** The caller's body, parsed; providers copy it and never mutate it (fallbacks reuse it). */
  readonly body: Readonly<Record<string, unknown>>;
  /** The same request, provider-neutral: what a provider of another format is called from. */
  readonly canonical: CanonicalRequest;
  readonly stream: boolean;
  /**
   * The caller's headers. Providers pick only what they forward on purpose (Anthropic passes on
   * `anthropic-version` and `anthropic-beta` to Anthropic); never auth headers.
   */
  readonly clientHeaders: HeaderMap;
  readonly signal: AbortSignal;
}

/** Callbacks the core gives a provider so a stream can carry its own cost to the caller. */
export interface StreamHooks {
  /** Provider-reported usage arrived; returns fields merged into the usage object the caller sees. */
  onUsage(usage: TokenUsage): Readonly<Record<string, unknown>> | undefined;
  /** Text (SSE comment lines) written just before the stream's terminator. */
  trailer(): string | undefined;
}

interface JsonResult {
  readonly kind: 'json';
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array | string;
  /** Usage the provider reported, if any. */
  readonly usage: TokenUsage | undefined;
}

interface StreamResult {
  readonly kind: 'stream';
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly stream: AsyncIterable<Uint8Array>;
  /** Characters of generated output seen so far: the basis of an estimate when no usage arrives. */
  outputChars(): number;
}

/**
 * A translated answer: typed events decoded from the provider's own format (a stream, or a JSON answer
 * turned into the same events), which the caller's API encodes. Usage arrives as a `usage` event.
 */
interface EventsResult {
  readonly kind: 'events';
  readonly status: number;
  /** Provider headers worth passing on (rate-limit remaining, processing time); never content-type. */
  readonly headers: Record<string, string>;
  readonly events: AsyncIterable<StreamEvent>;
}

export type ProviderResult = JsonResult | StreamResult | EventsResult;

export interface ProviderAdapter {
  /**
   * Whether a caller's format can be served by this deployment at all: natively (pass-through) or by
   * translation. Embeddings and legacy completions have no translation.
   */
  serves(deployment: Deployment, format: WireFormat): boolean;
  /** Whether it serves that format natively (same-format pass-through: every field honoured). */
  isNative(deployment: Deployment, format: WireFormat): boolean;
  /**
   * Calls the provider. Resolves once the response has started (headers in). Rejects with a
   * GatewayError; `retriable` errors (429, 5xx, connection, timeout) let the core fall back to the
   * next deployment, which is only possible because nothing has reached the client yet. No credential
   * (key or secret header value) ever appears in what reaches the caller, errors included.
   */
  call(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials, hooks: StreamHooks): Promise<ProviderResult>;
  /**
   * The provider's own count of the request's input tokens (Anthropic `count_tokens`), where it has
   * one; absent otherwise, and the gateway estimates.
   */
  countTokens?(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials): Promise<number>;
}
