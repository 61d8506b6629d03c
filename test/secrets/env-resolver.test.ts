import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { createJsonLogger } from '../../lambda/logging/logger';
import { createEnvResolver, firstResolved } from '../../lambda/secrets/env-resolver';
import { createProviderSecrets, secretIdsFromConfig } from '../../lambda/secrets/provider-secrets';

const config: GatewayConfig = {
  providers: {
    openai: { type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKey: { env: 'OPENAI_API_KEY' } },
    groq: { type: 'openai', baseUrl: 'https://api.groq.com/openai/v1', apiKey: { secretId: 'arn:groq', env: 'GROQ_API_KEY' } },
    vllm: { type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1' },
  },
  models: {},
};

describe('env resolver', () => {
  it('reads the variable named by apiKey.env at call time', async () => {
    const env: NodeJS.ProcessEnv = { OPENAI_API_KEY: ' sk-env ' };
    const resolve = createEnvResolver(config, env);
    expect(await resolve('openai')).toBe('sk-env');
    env.OPENAI_API_KEY = 'sk-changed';
    expect(await resolve('openai')).toBe('sk-changed');
  });

  it('gives undefined for unset or blank variables, keyless and unknown providers', async () => {
    const resolve = createEnvResolver(config, { GROQ_API_KEY: '' });
    expect(await resolve('openai')).toBeUndefined();
    expect(await resolve('groq')).toBeUndefined();
    expect(await resolve('vllm')).toBeUndefined();
    expect(await resolve('nope')).toBeUndefined();
  });

  it('firstResolved returns the first key found', async () => {
    const resolve = firstResolved(async () => undefined, async (name) => `key-${name}`, async () => 'never');
    expect(await resolve('x')).toBe('key-x');
  });
});

describe('Lambda provider secrets', () => {
  const secretsManager = mockClient(SecretsManagerClient);
  beforeEach(() => secretsManager.reset());
  afterAll(() => secretsManager.restore());

  it('collects secret ids from the config', () => {
    expect(secretIdsFromConfig(config)).toEqual({ groq: 'arn:groq' });
  });

  it('prefers the deployment’s secret map, then apiKey.secretId, then env', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: 'arn:openai-from-stack' }).resolves({ SecretString: 'sk-stack' });
    secretsManager.on(GetSecretValueCommand, { SecretId: 'arn:groq' }).resolves({ SecretString: 'gsk-config' });
    const resolve = createProviderSecrets({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
      config,
      secretIds: { openai: 'arn:openai-from-stack' },
      ttlMs: 1000,
      env: { OPENAI_API_KEY: 'sk-env', GROQ_API_KEY: 'gsk-env' },
      logger: createJsonLogger('silent'),
    });
    expect(await resolve('openai')).toBe('sk-stack');
    expect(await resolve('groq')).toBe('gsk-config');
    expect(await resolve('vllm')).toBeUndefined();
  });

  it('fails rather than fall back to env when a configured secret cannot be read, and logs it', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    const lines: string[] = [];
    const resolve = createProviderSecrets({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
      config,
      secretIds: {},
      ttlMs: 1000,
      env: { GROQ_API_KEY: 'gsk-env' },
      logger: createJsonLogger('info', (line) => lines.push(line)),
    });
    await expect(resolve('groq')).rejects.toThrow('AccessDeniedException');
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({ level: 'error', message: 'provider secret unavailable', provider: 'groq', secretId: 'arn:groq', servedStale: false });
  });
});
