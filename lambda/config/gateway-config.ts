import type { PiiConfig } from './pii-config';
/**
 * The gateway configuration: one typed object with two homes. The CDK construct takes it as a prop;
 * the local server reads it from JSON. Teams, users, keys and budgets are data (admin API), not config.
 */

/**
 * Where a secret comes from: a provider's API key or a credential header. Locally `env`; on AWS the
 * construct creates a Secrets Manager secret for it unless `secretId` names an existing one.
 */
export interface SecretSource {
  /** Environment variable that holds the value (local mode; also honoured on Lambda). */
  readonly env?: string;
  /** ARN or name of an existing Secrets Manager secret whose SecretString is the value. */
  readonly secretId?: string;
}

/** Where a provider's API key comes from. */
export type ApiKeySource = SecretSource;

/**
 * A header sent upstream: a literal for values that are no secret (`OpenAI-Organization`), or a
 * `SecretSource` for credentials, which are resolved at call time and never written into a bundle.
 * Credential-looking names (authorization, api-key, *token*, ...) must use a `SecretSource`.
 */
export type HeaderValue = string | SecretSource;

/**
 * Wire format a provider speaks: `openai` (OpenAI itself: Chat Completions and Responses),
 * `openai-compatible` (Groq, Together, vLLM, Ollama...: Chat Completions, no Responses unless said so),
 * `anthropic` (the Messages API).
 */
export type ProviderType = ProviderConfig['type'];

/** Settings every provider type shares. */
interface ProviderCommon {
  /**
   * Base URL: OpenAI types including the version path (`https://api.openai.com/v1`); Anthropic the
   * origin (`https://api.anthropic.com`), to which `/v1/messages` is appended.
   */
  readonly baseUrl: string;
  /** Omit for providers that need no key (a local vLLM, say). */
  readonly apiKey?: ApiKeySource;
  /** Extra headers sent upstream on every call, by lower-case name (e.g. `openai-organization`). */
  readonly headers?: Readonly<Record<string, HeaderValue>>;
  /** Streaming calls: milliseconds to wait for the response headers (time to first byte). @default 60000 */
  readonly firstByteTimeoutMs?: number;
  /**
   * Non-streaming calls: milliseconds to wait for the response headers, which a provider sends only once
   * the whole answer is generated — minutes for long outputs or reasoning models. @default 600000
   */
  readonly nonStreamingTimeoutMs?: number;
  /** Milliseconds a stream may stay silent between chunks before it is cut. @default 120000 */
  readonly idleTimeoutMs?: number;
  /**
   * Largest single server-sent event read from this provider, in bytes; a longer one ends the call with
   * 502 `upstream_response_too_large`. Bounds the memory one stream can hold. @default 8388608 (8 MiB)
   */
  readonly maxEventBytes?: number;
  /**
   * Largest non-streaming (JSON) answer read from this provider, in bytes; a longer one ends the call
   * with 502 `upstream_response_too_large`. @default 67108864 (64 MiB)
   */
  readonly maxResponseBytes?: number;
}

export interface OpenAiProviderConfig extends ProviderCommon {
  readonly type: 'openai' | 'openai-compatible';
  /**
   * Whether the provider honours `encoding_format: "base64"` for embeddings. When false the gateway
   * asks for floats and encodes base64 itself. @default true
   */
  readonly supportsBase64Embeddings?: boolean;
  /**
   * Whether the provider honours `stream_options.include_usage`. When false the gateway never
   * sends it and estimates usage. @default true
   */
  readonly supportsStreamUsage?: boolean;
  /**
   * Whether the provider has the Responses API (`POST {baseUrl}/responses`). When false, Responses
   * callers are served through Chat Completions. @default true for `openai`, false for `openai-compatible`
   */
  readonly supportsResponses?: boolean;
}

export interface AnthropicProviderConfig extends ProviderCommon {
  readonly type: 'anthropic';
  /**
   * `anthropic-version` sent when the caller sent none (Anthropic callers' own header is forwarded
   * as is, never checked against a list). @default "2023-06-01"
   */
  readonly anthropicVersion?: string;
}

/** A provider, discriminated by `type`. */
export type ProviderConfig = OpenAiProviderConfig | AnthropicProviderConfig;

/** USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** Price of input tokens served from the provider's prompt cache. @default input */
  readonly cachedInput?: number;
  /** Price of input tokens written to the provider's prompt cache (Anthropic: 1.25× input). @default input */
  readonly cacheWrite?: number;
}

export interface ModelConfig {
  /** Key of `providers`. */
  readonly provider: string;
  /** The provider's own model id. */
  readonly model: string;
  readonly price: ModelPrice;
  /**
   * OpenAI types only: the API the gateway uses toward this model for callers of another format
   * (`responses` for Responses-only models such as codex or o-pro ones). Callers of the same API are
   * passed through either way. @default "chat"
   */
  readonly api?: 'chat' | 'responses';
  /**
   * The most output tokens (reasoning included) one call may produce: what a budget reserves when the
   * caller sets no limit, and then the limit the gateway sets on the provider request so the
   * reservation holds. @default settings.defaultMaxOutputTokens
   */
  readonly maxOutputTokens?: number;
}

export interface ServerSettings {
  /** Largest request body accepted, in bytes. @default 10485760 (10 MiB) */
  readonly maxRequestBodyBytes?: number;
  /** How long usage records are kept before DynamoDB's TTL removes them. @default 400 */
  readonly usageRetentionDays?: number;
  /** Seconds a looked-up gateway key is cached in memory; bounds how long a revoked key keeps working on other instances. @default 5 */
  readonly keyCacheSeconds?: number;
  /** Output-token cap of models without `maxOutputTokens`, used only when a budget applies. @default 32768 */
  readonly defaultMaxOutputTokens?: number;
}

export interface GatewayConfig {
  readonly providers: Readonly<Record<string, ProviderConfig>>;
  /** Public model name → deployment. */
  readonly models: Readonly<Record<string, ModelConfig>>;
  /** Public alias → ordered list of model names tried in turn (fallbacks before the first byte). */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
  readonly settings?: ServerSettings;
  /** Data protection: rules per type, custom patterns, managed detection. @default DEFAULT_PII_RULES, no custom patterns, managed off */
  readonly pii?: PiiConfig;
}

export const DEFAULT_SETTINGS: Required<ServerSettings> = {
  maxRequestBodyBytes: 10 * 1024 * 1024,
  usageRetentionDays: 400,
  keyCacheSeconds: 5,
  defaultMaxOutputTokens: 32_768,
};

/** The configuration's settings with every default filled in. */
export function gatewaySettings(config: GatewayConfig): Required<ServerSettings> {
  return { ...DEFAULT_SETTINGS, ...config.settings };
}

export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
export const DEFAULT_NON_STREAMING_TIMEOUT_MS = 600_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
export const DEFAULT_ANTHROPIC_VERSION = '2023-06-01';
/**
 * One event carries one delta: a few bytes of text normally, but a whole tool-call argument or an image
 * (base64) in one chunk from some compatible servers. 8 MiB holds a 6 MB image with room to spare while
 * keeping a thousand concurrent streams' worst case within a Lambda's or a laptop's memory.
 */
export const DEFAULT_MAX_EVENT_BYTES = 8 * 1024 * 1024;
/**
 * The largest JSON answers are embeddings of big batches: 2,048 inputs × 1,536 dimensions are ~40 MB as
 * JSON floats and ~17 MB as base64 (the OpenAI SDKs' default). 64 MiB lets those through while the body,
 * its text and its parse stay within a 1 GB Lambda; raise it for float batches of 3,072 dimensions.
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;
