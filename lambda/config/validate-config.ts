import type { GatewayConfig, ModelConfig, ProviderConfig, ServerSettings } from './gateway-config';

/** Thrown at start-up; the message names the offending field, e.g. `models.gpt-4o.price.input`. */
export class ConfigError extends Error {
  constructor(readonly field: string, problem: string) {
    super(`Invalid gateway configuration: ${field} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Json = Record<string, unknown>;

const PROVIDER_TYPES = new Set(['openai', 'openai-compatible']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function object(value: unknown, field: string): Json {
  if (!isObject(value)) throw new ConfigError(field, 'must be an object');
  return value;
}

function string(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new ConfigError(field, 'must be a non-empty string');
  return value;
}

function optionalString(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : string(value, field);
}

function nonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new ConfigError(field, 'must be a number >= 0');
  }
  return value;
}

function optionalPositiveInt(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(field, 'must be a positive integer');
  }
  return value;
}

function optionalBoolean(value: unknown, field: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw new ConfigError(field, 'must be true or false');
  return value;
}

function rejectUnknown(value: Json, allowed: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new ConfigError(`${field}.${key}`, `is not a known field (expected one of: ${allowed.join(', ')})`);
  }
}

function parseProvider(value: unknown, field: string): ProviderConfig {
  const raw = object(value, field);
  rejectUnknown(raw, ['type', 'baseUrl', 'apiKey', 'headers', 'supportsBase64Embeddings', 'supportsStreamUsage',
    'firstByteTimeoutMs', 'nonStreamingTimeoutMs', 'idleTimeoutMs'], field);
  const type = string(raw.type, `${field}.type`);
  if (!PROVIDER_TYPES.has(type)) throw new ConfigError(`${field}.type`, `must be one of: ${[...PROVIDER_TYPES].join(', ')}`);
  const baseUrl = string(raw.baseUrl, `${field}.baseUrl`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(`${field}.baseUrl`, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${field}.baseUrl`, 'must use http or https');
  let apiKey: ProviderConfig['apiKey'];
  if (raw.apiKey !== undefined) {
    const key = object(raw.apiKey, `${field}.apiKey`);
    rejectUnknown(key, ['env', 'secretId'], `${field}.apiKey`);
    const env = optionalString(key.env, `${field}.apiKey.env`);
    const secretId = optionalString(key.secretId, `${field}.apiKey.secretId`);
    if (env === undefined && secretId === undefined) throw new ConfigError(`${field}.apiKey`, 'needs "env" or "secretId"');
    apiKey = { ...(env === undefined ? {} : { env }), ...(secretId === undefined ? {} : { secretId }) };
  }
  let headers: Record<string, string> | undefined;
  if (raw.headers !== undefined) {
    headers = {};
    for (const [name, headerValue] of Object.entries(object(raw.headers, `${field}.headers`))) {
      headers[name.toLowerCase()] = string(headerValue, `${field}.headers.${name}`);
    }
  }
  return {
    type: 'openai',
    baseUrl: baseUrl.replace(/\/+$/, ''),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(headers === undefined ? {} : { headers }),
    ...definedOnly({
      supportsBase64Embeddings: optionalBoolean(raw.supportsBase64Embeddings, `${field}.supportsBase64Embeddings`),
      supportsStreamUsage: optionalBoolean(raw.supportsStreamUsage, `${field}.supportsStreamUsage`),
      firstByteTimeoutMs: optionalPositiveInt(raw.firstByteTimeoutMs, `${field}.firstByteTimeoutMs`),
      nonStreamingTimeoutMs: optionalPositiveInt(raw.nonStreamingTimeoutMs, `${field}.nonStreamingTimeoutMs`),
      idleTimeoutMs: optionalPositiveInt(raw.idleTimeoutMs, `${field}.idleTimeoutMs`),
    }),
  };
}

function parseModel(value: unknown, field: string, providers: Readonly<Record<string, ProviderConfig>>): ModelConfig {
  const raw = object(value, field);
  rejectUnknown(raw, ['provider', 'model', 'price', 'kind'], field);
  const provider = string(raw.provider, `${field}.provider`);
  if (!(provider in providers)) throw new ConfigError(`${field}.provider`, `names unknown provider '${provider}'`);
  const price = object(raw.price, `${field}.price`);
  rejectUnknown(price, ['input', 'output', 'cachedInput'], `${field}.price`);
  const kind = raw.kind;
  if (kind !== undefined && kind !== 'chat' && kind !== 'embedding') throw new ConfigError(`${field}.kind`, "must be 'chat' or 'embedding'");
  return {
    provider,
    model: string(raw.model, `${field}.model`),
    price: {
      input: nonNegative(price.input, `${field}.price.input`),
      output: nonNegative(price.output, `${field}.price.output`),
      ...(price.cachedInput === undefined ? {} : { cachedInput: nonNegative(price.cachedInput, `${field}.price.cachedInput`) }),
    },
    ...(kind === undefined ? {} : { kind }),
  };
}

function parseSettings(value: unknown): ServerSettings {
  const raw = object(value, 'settings');
  rejectUnknown(raw, ['maxRequestBodyBytes', 'usageRetentionDays', 'keyCacheSeconds'], 'settings');
  const keyCacheSeconds = raw.keyCacheSeconds === undefined ? undefined : nonNegative(raw.keyCacheSeconds, 'settings.keyCacheSeconds');
  return definedOnly({
    maxRequestBodyBytes: optionalPositiveInt(raw.maxRequestBodyBytes, 'settings.maxRequestBodyBytes'),
    usageRetentionDays: optionalPositiveInt(raw.usageRetentionDays, 'settings.usageRetentionDays'),
    keyCacheSeconds,
  });
}

function definedOnly<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/** Validates untrusted JSON into a GatewayConfig. Throws ConfigError naming the first bad field. */
export function parseGatewayConfig(json: unknown): GatewayConfig {
  const root = object(json, 'config');
  rejectUnknown(root, ['$schema', 'providers', 'models', 'aliases', 'settings'], 'config');
  const providers: Record<string, ProviderConfig> = {};
  for (const [name, provider] of Object.entries(object(root.providers, 'providers'))) {
    providers[name] = parseProvider(provider, `providers.${name}`);
  }
  const models: Record<string, ModelConfig> = {};
  for (const [name, model] of Object.entries(object(root.models, 'models'))) {
    models[name] = parseModel(model, `models.${name}`, providers);
  }
  const aliases: Record<string, readonly string[]> = {};
  if (root.aliases !== undefined) {
    for (const [alias, targets] of Object.entries(object(root.aliases, 'aliases'))) {
      const field = `aliases.${alias}`;
      if (alias in models) throw new ConfigError(field, 'shadows a model of the same name');
      if (!Array.isArray(targets) || targets.length === 0) throw new ConfigError(field, 'must be a non-empty array of model names');
      aliases[alias] = targets.map((target, index) => {
        const name = string(target, `${field}[${index}]`);
        if (!(name in models)) throw new ConfigError(`${field}[${index}]`, `names unknown model '${name}'`);
        return name;
      });
    }
  }
  return {
    providers,
    models,
    aliases,
    ...(root.settings === undefined ? {} : { settings: parseSettings(root.settings) }),
  };
}
