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
    expect(config.providers.groq?.type).toBe('openai');
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
});
