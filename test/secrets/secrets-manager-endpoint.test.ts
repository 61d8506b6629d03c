import { ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createSecretsManagerResolver } from '../../lambda/secrets/secrets-manager-resolver';
import { startLocalSecretsManager, type LocalSecretsManager } from './local-secrets-manager';

// The real SDK client, end to end over HTTP: request signing, the JSON 1.1 protocol, error mapping.
describe('Secrets Manager resolver against a local endpoint', () => {
  const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:gatellm/openai-AbCdEf';
  let server: LocalSecretsManager;
  let client: SecretsManagerClient;

  beforeAll(async () => {
    server = await startLocalSecretsManager({ [arn]: 'sk-live-1' });
    // Static credentials and region: no credential chain, no instance metadata lookups.
    client = new SecretsManagerClient({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('fetches a secret with a signed GetSecretValue call and picks up a rotation after the TTL', async () => {
    let time = 0;
    const resolve = createSecretsManagerResolver({ client, secretIds: { openai: arn }, ttlMs: 1000, now: () => time });
    expect(await resolve('openai')).toBe('sk-live-1');
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.target).toBe('secretsmanager.GetSecretValue');
    expect(server.calls[0]?.body).toEqual({ SecretId: arn });
    expect(server.calls[0]?.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST\/\d{8}\/us-east-1\/secretsmanager\/aws4_request/);

    server.secrets.set(arn, 'sk-live-2');
    expect(await resolve('openai')).toBe('sk-live-1');
    time += 1000;
    expect(await resolve('openai')).toBe('sk-live-2');
    expect(server.calls).toHaveLength(2);
  });

  it('surfaces the service error for an unknown secret', async () => {
    const resolve = createSecretsManagerResolver({ client, secretIds: { openai: 'arn:missing' }, ttlMs: 1000 });
    await expect(resolve('openai')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
