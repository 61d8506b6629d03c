import { ConfigError, nonNegative, object, optionalBoolean, optionalPositiveInt, optionalString, rejectUnknown, string } from './config-fields';
import type { GatewayConfig, HeaderValue, ModelConfig, ProviderConfig, ProviderType, SecretSource, ServerSettings } from './gateway-config';
import { parsePiiConfig } from './validate-pii-config';

export { ConfigError } from './config-fields';

function secretSource(value: unknown, field: string): SecretSource {
  const source = object(value, field);
  rejectUnknown(source, ['env', 'secretId'], field);
  const env = optionalString(source.env, `${field}.env`);
  const secretId = optionalString(source.secretId, `${field}.secretId`);
  if (env === undefined && secretId === undefined) throw new ConfigError(field, 'needs "env" or "secretId"');
  return { ...(env === undefined ? {} : { env }), ...(secretId === undefined ? {} : { secretId }) };
}

/**
 * Header names whose values are credentials. A literal value there would be written into the Lambda
 * bundles and the synth output, so these must come from `{ "env" }` or `{ "secretId" }`.
 */
const CREDENTIAL_HEADER = /^(authorization|proxy-authorization|cookie)$|key|token|secret|passw|auth|credential|signature|session/;

function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADER.test(name.toLowerCase());
}

/** An RFC 9110 token: what Node accepts as a header name. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function parseHeaders(value: unknown, field: string): Record<string, HeaderValue> {
  const headers: Record<string, HeaderValue> = {};
  for (const [name, headerValue] of Object.entries(object(value, field))) {
    const headerField = `${field}.${name}`;
    if (!HEADER_NAME.test(name)) throw new ConfigError(headerField, 'is not a valid header name');
    const lowerName = name.toLowerCase();
    if (Object.hasOwn(headers, lowerName)) throw new ConfigError(headerField, 'repeats a header name (names are case-insensitive)');
    if (typeof headerValue === 'string' && isCredentialHeader(lowerName)) {
      throw new ConfigError(headerField, 'looks like a credential and must not be written in the configuration: ' +
        'use { "env": "VARIABLE" } (local) or { "secretId": "<Secrets Manager ARN or name>" } (AWS)');
    }
    if (typeof headerValue === 'string' && /[\r\n\0]/.test(headerValue)) throw new ConfigError(headerField, 'must not contain line breaks');
    headers[lowerName] = typeof headerValue === 'string' ? string(headerValue, headerField) : secretSource(headerValue, headerField);
  }
  return headers;
}

/** Fields every provider type takes. */
const COMMON_FIELDS = ['type', 'baseUrl', 'apiKey', 'headers', 'firstByteTimeoutMs', 'nonStreamingTimeoutMs', 'idleTimeoutMs',
  'maxEventBytes', 'maxResponseBytes'] as const;

/** Fields only one provider type takes, by type: the discriminated union's variants. */
const TYPE_FIELDS: Readonly<Record<ProviderType, readonly string[]>> = {
  openai: ['supportsBase64Embeddings', 'supportsStreamUsage', 'supportsResponses'],
  'openai-compatible': ['supportsBase64Embeddings', 'supportsStreamUsage', 'supportsResponses'],
  anthropic: ['anthropicVersion'],
};

function isProviderType(type: string): type is ProviderType {
  return Object.hasOwn(TYPE_FIELDS, type);
}

function parseBaseUrl(value: unknown, field: string): string {
  const baseUrl = string(value, field);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new ConfigError(field, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(field, 'must use http or https');
  // user:password@ in a URL is a credential written into the configuration (and so into the bundles).
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(field, 'must not carry credentials (user:password@); use apiKey or a secret header');
  }
  return baseUrl.replace(/\/+$/, '');
}

function parseProvider(value: unknown, field: string): ProviderConfig {
  const raw = object(value, field);
  const type = string(raw.type, `${field}.type`);
  if (!isProviderType(type)) throw new ConfigError(`${field}.type`, `must be one of: ${Object.keys(TYPE_FIELDS).join(', ')}`);
  rejectUnknown(raw, [...COMMON_FIELDS, ...TYPE_FIELDS[type]], field);
  const apiKey = raw.apiKey === undefined ? undefined : secretSource(raw.apiKey, `${field}.apiKey`);
  const headers = raw.headers === undefined ? undefined : parseHeaders(raw.headers, `${field}.headers`);
  const common = {
    baseUrl: parseBaseUrl(raw.baseUrl, `${field}.baseUrl`),
    ...(apiKey === undefined ? {} : { apiKey }),
    ...(headers === undefined ? {} : { headers }),
    ...definedOnly({
      firstByteTimeoutMs: optionalPositiveInt(raw.firstByteTimeoutMs, `${field}.firstByteTimeoutMs`),
      nonStreamingTimeoutMs: optionalPositiveInt(raw.nonStreamingTimeoutMs, `${field}.nonStreamingTimeoutMs`),
      idleTimeoutMs: optionalPositiveInt(raw.idleTimeoutMs, `${field}.idleTimeoutMs`),
      maxEventBytes: optionalPositiveInt(raw.maxEventBytes, `${field}.maxEventBytes`),
      maxResponseBytes: optionalPositiveInt(raw.maxResponseBytes, `${field}.maxResponseBytes`),
    }),
  };
  if (type === 'anthropic') {
    return { type, ...common, ...definedOnly({ anthropicVersion: optionalString(raw.anthropicVersion, `${field}.anthropicVersion`) }) };
  }
  return {
    type,
    ...common,
    ...definedOnly({
      supportsBase64Embeddings: optionalBoolean(raw.supportsBase64Embeddings, `${field}.supportsBase64Embeddings`),
      supportsStreamUsage: optionalBoolean(raw.supportsStreamUsage, `${field}.supportsStreamUsage`),
      supportsResponses: optionalBoolean(raw.supportsResponses, `${field}.supportsResponses`),
    }),
  };
}

function parseModel(value: unknown, field: string, providers: Readonly<Record<string, ProviderConfig>>): ModelConfig {
  const raw = object(value, field);
  rejectUnknown(raw, ['provider', 'model', 'price', 'api', 'maxOutputTokens'], field);
  const provider = string(raw.provider, `${field}.provider`);
  if (!Object.hasOwn(providers, provider)) {
    throw new ConfigError(`${field}.provider`, `names unknown provider '${provider}' (known: ${Object.keys(providers).join(', ')})`);
  }
  const price = object(raw.price, `${field}.price`);
  rejectUnknown(price, ['input', 'output', 'cachedInput', 'cacheWrite'], `${field}.price`);
  const api = raw.api === undefined ? undefined : string(raw.api, `${field}.api`);
  if (api !== undefined && api !== 'chat' && api !== 'responses') throw new ConfigError(`${field}.api`, 'must be "chat" or "responses"');
  if (api !== undefined && providers[provider]?.type === 'anthropic') throw new ConfigError(`${field}.api`, 'applies to OpenAI providers only');
  const optionalPrice = (name: 'cachedInput' | 'cacheWrite'): Record<string, number> =>
    price[name] === undefined ? {} : { [name]: nonNegative(price[name], `${field}.price.${name}`) };
  return {
    provider,
    model: string(raw.model, `${field}.model`),
    price: {
      input: nonNegative(price.input, `${field}.price.input`),
      output: nonNegative(price.output, `${field}.price.output`),
      ...optionalPrice('cachedInput'),
      ...optionalPrice('cacheWrite'),
    },
    ...(api === undefined ? {} : { api }),
    ...definedOnly({ maxOutputTokens: optionalPositiveInt(raw.maxOutputTokens, `${field}.maxOutputTokens`) }),
  };
}

function parseSettings(value: unknown): ServerSettings {
  const raw = object(value, 'settings');
  rejectUnknown(raw, ['maxRequestBodyBytes', 'usageRetentionDays', 'keyCacheSeconds', 'defaultMaxOutputTokens'], 'settings');
  const keyCacheSeconds = raw.keyCacheSeconds === undefined ? undefined : nonNegative(raw.keyCacheSeconds, 'settings.keyCacheSeconds');
  return definedOnly({
    maxRequestBodyBytes: optionalPositiveInt(raw.maxRequestBodyBytes, 'settings.maxRequestBodyBytes'),
    usageRetentionDays: optionalPositiveInt(raw.usageRetentionDays, 'settings.usageRetentionDays'),
    keyCacheSeconds,
    defaultMaxOutputTokens: optionalPositiveInt(raw.defaultMaxOutputTokens, 'settings.defaultMaxOutputTokens'),
  });
}

function definedOnly<T extends Record<string, unknown>>(fields: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

/**
 * Validates untrusted JSON (or a construct prop) into a GatewayConfig: field types and ranges, and the
 * cross-references (models name known providers, aliases name known models). Throws ConfigError naming
 * the first bad field.
 */
export function parseGatewayConfig(json: unknown): GatewayConfig {
  const root = object(json, 'config');
  rejectUnknown(root, ['$schema', 'providers', 'models', 'aliases', 'settings', 'pii'], 'config');
  const providerEntries = Object.entries(object(root.providers, 'providers'));
  if (providerEntries.length === 0) throw new ConfigError('providers', 'must declare at least one provider');
  const providers: Record<string, ProviderConfig> = {};
  for (const [name, provider] of providerEntries) {
    // Provider names become construct ids (secrets) and secret names, where `/` separates path segments.
    if (name.trim().length === 0 || name.includes('/')) throw new ConfigError(`providers.${name}`, 'must be a non-empty name without "/"');
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
      if (Object.hasOwn(models, alias)) throw new ConfigError(field, 'shadows a model of the same name');
      if (!Array.isArray(targets) || targets.length === 0) throw new ConfigError(field, 'must be a non-empty array of model names');
      aliases[alias] = targets.map((target, index) => {
        const name = string(target, `${field}[${index}]`);
        if (!Object.hasOwn(models, name)) throw new ConfigError(`${field}[${index}]`, `names unknown model '${name}'`);
        return name;
      });
    }
  }
  return {
    providers,
    models,
    aliases,
    ...(root.settings === undefined ? {} : { settings: parseSettings(root.settings) }),
    ...(root.pii === undefined ? {} : { pii: parsePiiConfig(root.pii) }),
  };
}
