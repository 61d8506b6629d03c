import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { GatewayConfig } from '../../lambda/config/gateway-config';
import { parseGatewayConfig } from '../../lambda/config/validate-config';
import { silentLogger } from '../../lambda/logging/logger';
import { createProviderSecrets } from '../../lambda/secrets/provider-secrets';
import { startHarness, UPSTREAM_KEY, type MemoryHarness } from '../support/gateway-harness';
import { startLocalSecretsManager, type LocalSecretsManager } from '../secrets/local-secrets-manager';

/**
 * Provider credentials through the public seam: a configuration that names secrets (never values) for the
 * key and for credential headers, resolved the way the Lambda does (Secrets Manager first, then env), and a
 * provider that echoes what it was sent must never hand any of it to the caller.
 */
const HEADER_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gatellm/tenant-token-AbCdEf';
const HEADER_SECRET_VALUE = 'tenant-token-from-secrets-manager-0123456789';
const ENV_HEADER_VALUE = 'env-api-key-value-9876543210';

function credentialsConfig(baseUrl: string): GatewayConfig {
  return parseGatewayConfig({
    providers: {
      echoing: {
        type: 'openai',
        baseUrl,
        apiKey: { env: 'ECHO_PROVIDER_KEY' },
        headers: {
          'OpenAI-Organization': 'org-plain',
          'X-Api-Key': { env: 'ECHO_HEADER_KEY' },
          'X-Tenant-Token': { secretId: HEADER_SECRET_ARN },
        },
      },
    },
    models: {
      ok: { provider: 'echoing', model: 'fake-model', price: { input: 1, output: 1 } },
      echo400: { provider: 'echoing', model: 'error-400-echo-headers', price: { input: 1, output: 1 } },
      echo500: { provider: 'echoing', model: 'error-500-echo-headers', price: { input: 1, output: 1 } },
      echo429: { provider: 'echoing', model: 'error-429-echo-headers', price: { input: 1, output: 1 } },
    },
  });
}

describe('provider credentials over HTTP', () => {
  let secretsManager: LocalSecretsManager;
  let harness: MemoryHarness;

  beforeAll(async () => {
    secretsManager = await startLocalSecretsManager({ [HEADER_SECRET_ARN]: HEADER_SECRET_VALUE });
    const client = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: secretsManager.endpoint,
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
      maxAttempts: 1,
    });
    const secrets = createProviderSecrets({
      client,
      config: credentialsConfig('http://127.0.0.1:9/v1'),
      secretIds: {},
      ttlMs: 60_000,
      env: { ECHO_PROVIDER_KEY: UPSTREAM_KEY, ECHO_HEADER_KEY: ENV_HEADER_VALUE },
      logger: silentLogger,
    });
    harness = await startHarness({ config: credentialsConfig, secrets });
  });
  afterAll(async () => {
    await harness.close();
    await secretsManager.close();
  });

  it('sends secret header values (env and Secrets Manager) and literal headers upstream', async () => {
    const response = await harness.post('/chat/completions', { model: 'ok', messages: [{ role: 'user', content: 'hi' }] });
    expect(response.status).toBe(200);
    const sent = harness.upstream.requests.at(-1)?.headers;
    expect(sent).toMatchObject({
      authorization: `Bearer ${UPSTREAM_KEY}`,
      'openai-organization': 'org-plain',
      'x-api-key': ENV_HEADER_VALUE,
      'x-tenant-token': HEADER_SECRET_VALUE,
    });
  });

  it.each([
    ['echo400', 400],
    ['echo429', 429],
    ['echo500', 502],
  ])('never passes a credential the provider echoes to the caller (%s)', async (model, status) => {
    for (const stream of [false, true]) {
      const response = await harness.post('/chat/completions', { model, stream, messages: [{ role: 'user', content: 'hi' }] });
      expect(response.status).toBe(status);
      const text = await response.text();
      // The provider did echo them: the test would be empty otherwise.
      expect(JSON.stringify(harness.upstream.requests.at(-1)?.headers)).toContain(UPSTREAM_KEY);
      for (const secret of [UPSTREAM_KEY, ENV_HEADER_VALUE, HEADER_SECRET_VALUE]) expect(text).not.toContain(secret);
      expect(text).not.toContain('sk-upstream');
    }
  });
});
