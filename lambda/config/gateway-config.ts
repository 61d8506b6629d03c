/**
 * The gateway configuration: one typed object with two homes. The CDK construct takes it as a prop;
 * the local server reads it from JSON. Teams, users, keys and budgets are data (admin API), not config.
 */

/** Where a provider's API key comes from. Locally `env`; on AWS the construct creates a secret per provider. */
export interface ApiKeySource {
  /** Environment variable that holds the key (local mode; also honoured on Lambda). */
  readonly env?: string;
  /** ARN or name of an existing Secrets Manager secret whose SecretString is the key. */
  readonly secretId?: string;
}

/** Wire format a provider speaks. OpenAI-compatible endpoints (Groq, Together, vLLM, Ollama...) are `openai`. */
export type ProviderType = 'openai';

export interface ProviderConfig {
  readonly type: ProviderType;
  /** Base URL including the version path, e.g. `https://api.openai.com/v1`. */
  readonly baseUrl: string;
  /** Omit for providers that need no key (a local vLLM, say). */
  readonly apiKey?: ApiKeySource;
  /** Extra headers sent upstream on every call (e.g. `OpenAI-Organization`). */
  readonly headers?: Readonly<Record<string, string>>;
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
  /** Streaming calls: milliseconds to wait for the response headers (time to first byte). @default 60000 */
  readonly firstByteTimeoutMs?: number;
  /**
   * Non-streaming calls: milliseconds to wait for the response headers, which a provider sends only once
   * the whole answer is generated — minutes for long outputs or reasoning models. @default 600000
   */
  readonly nonStreamingTimeoutMs?: number;
  /** Milliseconds a stream may stay silent between chunks before it is cut. @default 120000 */
  readonly idleTimeoutMs?: number;
}

/** USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** Price of input tokens served from the provider's prompt cache. @default input */
  readonly cachedInput?: number;
}

export interface ModelConfig {
  /** Key of `providers`. */
  readonly provider: string;
  /** The provider's own model id. */
  readonly model: string;
  readonly price: ModelPrice;
  /** Informational; embeddings models are listed like any other. @default 'chat' */
  readonly kind?: 'chat' | 'embedding';
}

export interface ServerSettings {
  /** Largest request body accepted, in bytes. @default 10485760 (10 MiB) */
  readonly maxRequestBodyBytes?: number;
  /** How long usage records are kept before DynamoDB's TTL removes them. @default 400 */
  readonly usageRetentionDays?: number;
  /** Seconds a looked-up gateway key is cached in memory; bounds how long a revoked key keeps working on other instances. @default 5 */
  readonly keyCacheSeconds?: number;
}

export interface GatewayConfig {
  readonly providers: Readonly<Record<string, ProviderConfig>>;
  /** Public model name → deployment. */
  readonly models: Readonly<Record<string, ModelConfig>>;
  /** Public alias → ordered list of model names tried in turn (fallbacks before the first byte). */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
  readonly settings?: ServerSettings;
}

export const DEFAULT_SETTINGS: Required<ServerSettings> = {
  maxRequestBodyBytes: 10 * 1024 * 1024,
  usageRetentionDays: 400,
  keyCacheSeconds: 5,
};

/** The configuration's settings with every default filled in. */
export function gatewaySettings(config: GatewayConfig): Required<ServerSettings> {
  return { ...DEFAULT_SETTINGS, ...config.settings };
}

export const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 60_000;
export const DEFAULT_NON_STREAMING_TIMEOUT_MS = 600_000;
export const DEFAULT_IDLE_TIMEOUT_MS = 120_000;
