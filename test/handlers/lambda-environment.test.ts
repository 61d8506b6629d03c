import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadGatewayConfig, readBaseEnvironment, readSecretsEnvironment } from '../../lambda/handlers/lambda-environment';

describe('Lambda environment', () => {
  it('finds the config in LAMBDA_TASK_ROOT unless GATELLM_CONFIG_PATH is set', () => {
    const base = { GATELLM_TABLE_NAME: 'gatellm', LAMBDA_TASK_ROOT: '/var/task', AWS_REGION: 'eu-west-1' };
    expect(readBaseEnvironment(base)).toEqual({ configPath: '/var/task/gatellm.config.json', region: 'eu-west-1', tableName: 'gatellm', logLevel: 'info' });
    expect(readBaseEnvironment({ ...base, GATELLM_CONFIG_PATH: '/opt/c.json', GATELLM_LOG_LEVEL: 'DEBUG' })).toMatchObject({ configPath: '/opt/c.json', logLevel: 'debug' });
  });

  it('names a missing table variable', () => {
    expect(() => readBaseEnvironment({})).toThrow('GATELLM_TABLE_NAME');
  });

  it('parses the provider secret map and the cache TTL', () => {
    expect(readSecretsEnvironment({})).toEqual({ providerSecrets: {}, secretCacheMs: 60_000 });
    expect(readSecretsEnvironment({ GATELLM_PROVIDER_SECRETS: '{"openai":"arn:1"}', GATELLM_SECRET_CACHE_SECONDS: '5' }))
      .toEqual({ providerSecrets: { openai: 'arn:1' }, secretCacheMs: 5000 });
    expect(() => readSecretsEnvironment({ GATELLM_PROVIDER_SECRETS: '["arn"]' })).toThrow('GATELLM_PROVIDER_SECRETS');
    expect(() => readSecretsEnvironment({ GATELLM_PROVIDER_SECRETS: '{"openai":1}' })).toThrow('openai');
    expect(() => readSecretsEnvironment({ GATELLM_SECRET_CACHE_SECONDS: 'soon' })).toThrow('GATELLM_SECRET_CACHE_SECONDS');
  });

  it('loads and validates the configuration file, naming the file or the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gatellm-env-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify({ providers: { openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'K' } } }, models: {} }));
    expect(loadGatewayConfig(good).providers.openai?.baseUrl).toBe('https://api.openai.com/v1');
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    expect(() => loadGatewayConfig(broken)).toThrow(`${broken} is not valid JSON`);
    expect(() => loadGatewayConfig(join(dir, 'missing.json'))).toThrow('Cannot read the gateway configuration');
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ providers: { openai: { type: 'openai' } }, models: {} }));
    expect(() => loadGatewayConfig(invalid)).toThrow('providers.openai');
  });
});
