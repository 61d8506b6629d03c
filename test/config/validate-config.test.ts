import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, parseGatewayConfig } from '../../lambda/config/validate-config';

const minimal = {
  providers: { openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1/', apiKey: { env: 'OPENAI_API_KEY' } } },
  models: { 'gpt-4o-mini': { provider: 'openai', model: 'gpt-4o-mini', price: { input: 0.15, output: 0.6 } } },
};

function errorOf(json: unknown): string {
  try {
    parseGatewayConfig(json);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('gateway configuration', () => {
  it('accepts the shipped example', () => {
    const example: unknown = JSON.parse(readFileSync(path.join(__dirname, '../../gatellm.config.example.json'), 'utf8'));
    const config = parseGatewayConfig(example);
    expect(Object.keys(config.models)).toContain('gpt-4o-mini');
    expect(config.providers.groq?.type).toBe('openai-compatible');
    expect(config.providers.anthropic?.type).toBe('anthropic');
  });

  it('normalises the base URL and keeps optional fields', () => {
    const config = parseGatewayConfig(minimal);
    expect(config.providers.openai?.baseUrl).toBe('https://api.openai.com/v1');
    expect(config.models['gpt-4o-mini']?.price).toEqual({ input: 0.15, output: 0.6 });
  });

  it.each([
    [{ ...minimal, providers: { openai: { ...minimal.providers.openai, type: 'cohere' } } }, 'providers.openai.type'],
    [{ ...minimal, providers: { openai: { ...minimal.providers.openai, baseUrl: 'not a url' } } }, 'providers.openai.baseUrl'],
    [{ ...minimal, providers: { openai: { ...minimal.providers.openai, apiKey: {} } } }, 'providers.openai.apiKey'],
    [{ ...minimal, models: { m: { provider: 'nope', model: 'x', price: { input: 1, output: 1 } } } }, 'models.m.provider'],
    [{ ...minimal, models: { m: { provider: 'openai', model: 'x', price: { input: -1, output: 1 } } } }, 'models.m.price.input'],
    [{ ...minimal, models: { m: { provider: 'openai', model: 'x', price: { input: 1 } } } }, 'models.m.price.output'],
    [{ ...minimal, aliases: { fast: ['missing'] } }, 'aliases.fast[0]'],
    [{ ...minimal, aliases: { 'gpt-4o-mini': ['gpt-4o-mini'] } }, 'aliases.gpt-4o-mini'],
    [{ ...minimal, settings: { maxRequestBodyBytes: 0 } }, 'settings.maxRequestBodyBytes'],
    [{ ...minimal, extra: true }, 'config.extra'],
    [{ models: {} }, 'providers'],
  ])('names the bad field (%#)', (json, field) => {
    expect(errorOf(json)).toContain(field);
  });

  it.each(['Authorization', 'proxy-authorization', 'api-key', 'X-Api-Key', 'x-goog-api-key', 'X-Auth-Token', 'x-client-secret', 'Cookie', 'x-db-password'])(
    'rejects a literal value for the credential header %s and says where it must come from',
    (name) => {
      const message = errorOf({ ...minimal, providers: { openai: { ...minimal.providers.openai, headers: { [name]: 'Bearer sk-live' } } } });
      expect(message).toContain(`providers.openai.headers.${name}`);
      expect(message).toMatch(/"env".*"secretId"/);
    },
  );

  it('accepts credential headers from env or secretId, and literal values for other headers (names lower-cased)', () => {
    const config = parseGatewayConfig({
      ...minimal,
      providers: {
        openai: {
          ...minimal.providers.openai,
          headers: { Authorization: { secretId: 'arn:aws:secretsmanager:us-east-1:1:secret:x' }, 'api-key': { env: 'AZURE_KEY' }, 'OpenAI-Organization': 'org-1' },
        },
      },
    });
    expect(config.providers.openai?.headers).toEqual({
      authorization: { secretId: 'arn:aws:secretsmanager:us-east-1:1:secret:x' },
      'api-key': { env: 'AZURE_KEY' },
      'openai-organization': 'org-1',
    });
  });

  it.each([
    [{ 'x-api-key': {} }, 'providers.openai.headers.x-api-key'],
    [{ 'x-api-key': { env: 'A', value: 'sk' } }, 'providers.openai.headers.x-api-key.value'],
    [{ 'bad name': 'x' }, 'providers.openai.headers.bad name'],
    [{ 'x-title': 'a\r\nx-injected: 1' }, 'providers.openai.headers.x-title'],
    [{ 'X-Title': 'a', 'x-title': 'b' }, 'providers.openai.headers.x-title'],
  ])('names a bad header (%#)', (headers, field) => {
    expect(errorOf({ ...minimal, providers: { openai: { ...minimal.providers.openai, headers } } })).toContain(field);
  });

  it.each([
    [{ ...minimal, providers: {} }, 'providers must declare at least one provider'],
    [{ ...minimal, providers: { 'a/b': minimal.providers.openai } }, 'providers.a/b must be a non-empty name without "/"'],
    [{ ...minimal, providers: { ' ': minimal.providers.openai } }, 'providers.  must be a non-empty name'],
    [{ ...minimal, models: { m: { provider: 'toString', model: 'x', price: { input: 1, output: 1 } } } }, "models.m.provider names unknown provider 'toString' (known: openai)"],
    [{ ...minimal, aliases: { fast: ['gpt-4o-mini', 'constructor'] } }, "aliases.fast[1] names unknown model 'constructor'"],
    [{ ...minimal, models: { m: { provider: 'openai', model: 'x', price: { input: 1, output: 1 }, kind: 'chat' } } }, 'models.m.kind is not a known field'],
    [{ ...minimal, providers: { openai: { ...minimal.providers.openai, maxEventBytes: 0 } } }, 'providers.openai.maxEventBytes must be a positive integer'],
    [{ ...minimal, providers: { openai: { ...minimal.providers.openai, baseUrl: 'https://user:sk-live@proxy.example.com/v1' } } }, 'providers.openai.baseUrl must not carry credentials'],
    [{ ...minimal, providers: { openai: { ...minimal.providers.openai, maxResponseBytes: 1.5 } } }, 'providers.openai.maxResponseBytes must be a positive integer'],
  ])('checks cross-references and limits with messages that name the field (%#)', (json, message) => {
    expect(errorOf(json)).toContain(`Invalid gateway configuration: ${message}`);
  });

  describe('provider types (a discriminated union)', () => {
    const base = (provider: Record<string, unknown>, model: Record<string, unknown> = {}): unknown => ({
      providers: { p: { baseUrl: 'https://example.test/v1', ...provider } },
      models: { m: { provider: 'p', model: 'x', price: { input: 1, output: 2 }, ...model } },
    });

    it('accepts anthropic with its own fields, and rejects the OpenAI-only ones there', () => {
      const config = parseGatewayConfig(base({ type: 'anthropic', anthropicVersion: '2023-06-01' }));
      expect(config.providers.p).toEqual({ type: 'anthropic', baseUrl: 'https://example.test/v1', anthropicVersion: '2023-06-01' });
      expect(() => parseGatewayConfig(base({ type: 'anthropic', supportsResponses: true }))).toThrow('providers.p.supportsResponses is not a known field');
      expect(() => parseGatewayConfig(base({ type: 'openai', anthropicVersion: 'x' }))).toThrow('providers.p.anthropicVersion is not a known field');
    });

    it('keeps the type it was given and names unknown types', () => {
      expect(parseGatewayConfig(base({ type: 'openai-compatible', supportsResponses: true })).providers.p)
        .toMatchObject({ type: 'openai-compatible', supportsResponses: true });
      expect(() => parseGatewayConfig(base({ type: 'bedrock' }))).toThrow('providers.p.type must be one of: openai, openai-compatible, anthropic');
    });

    it('takes a cache-write price and a model api, only where they make sense', () => {
      const config = parseGatewayConfig(base({ type: 'openai' }, { api: 'responses', price: { input: 1, output: 2, cacheWrite: 1.25 } }));
      expect(config.models.m).toMatchObject({ api: 'responses', price: { cacheWrite: 1.25 } });
      expect(() => parseGatewayConfig(base({ type: 'openai' }, { api: 'soap' }))).toThrow('models.m.api must be "chat" or "responses"');
      expect(() => parseGatewayConfig(base({ type: 'anthropic' }, { api: 'chat' }))).toThrow('models.m.api applies to OpenAI providers only');
    });
  });
});
