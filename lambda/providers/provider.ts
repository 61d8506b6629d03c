import type { ModelConfig, ProviderConfig } from '../config/gateway-config';
import type { ProviderCredentials } from '../secrets/provider-credentials';
import type { TokenUsage } from './types';

/**
 * Wire formats the gateway accepts or speaks upstream. An inbound request in format F routed to a
 * provider speaking F is passed through (model id swapped, usage requested); a provider that speaks
 * another format gets a translator pair (request F→P, response/stream P→F) registered for (F, P).
 */
export type WireFormat = 'openai-chat' | 'openai-embeddings' | 'openai-completions';

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
  readonly format: WireFormat;
  /** The caller's body, parsed; providers copy it and never mutate it (fallbacks reuse it). */
  readonly body: Readonly<Record<string, unknown>>;
  readonly stream: boolean;
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

export type ProviderResult = JsonResult | StreamResult;

export interface ProviderAdapter {
  /** Formats this provider serves without translation. */
  readonly formats: ReadonlySet<WireFormat>;
  /**
   * Calls the provider. Resolves once the response has started (headers in). Rejects with a
   * GatewayError; `retriable` errors (429, 5xx, connection, timeout) let the core fall back to the
   * next deployment, which is only possible because nothing has reached the client yet. No credential
   * (key or secret header value) ever appears in what reaches the caller, errors included.
   */
  call(deployment: Deployment, request: ProviderRequest, credentials: ProviderCredentials, hooks: StreamHooks): Promise<ProviderResult>;
}
