import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { createSecretsManagerResolver, type SecretRefreshFailure } from '../../lambda/secrets/secrets-manager-resolver';

const secretsManager = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test' } });
const secretIds = { openai: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:openai', anthropic: 'arn:anthropic' };
const calls = (): number => secretsManager.commandCalls(GetSecretValueCommand).length;

/** A clock the test moves by hand. */
function manualClock(): { now: () => number; advance: (ms: number) => void } {
  let time = 1_000_000;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('Secrets Manager resolver', () => {
  beforeEach(() => secretsManager.reset());
  afterAll(() => secretsManager.restore());

  it('fetches once and serves the cached value within the TTL', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: secretIds.openai }).resolves({ SecretString: 'sk-one\n' });
    const clock = manualClock();
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 60_000, now: clock.now });
    expect(await resolve('openai')).toBe('sk-one');
    clock.advance(59_999);
    expect(await resolve('openai')).toBe('sk-one');
    expect(calls()).toBe(1);
  });

  it('picks up a rotated value after the TTL, without a restart', async () => {
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'sk-old' }).resolves({ SecretString: 'sk-new' });
    const clock = manualClock();
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 1000, now: clock.now });
    expect(await resolve('openai')).toBe('sk-old');
    clock.advance(1000);
    expect(await resolve('openai')).toBe('sk-new');
    expect(calls()).toBe(2);
  });

  it('shares one in-flight call among concurrent misses', async () => {
    secretsManager.on(GetSecretValueCommand).callsFake(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { SecretString: 'sk-shared' };
    });
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 60_000 });
    const values = await Promise.all(Array.from({ length: 10 }, () => resolve('openai')));
    expect(values).toEqual(Array(10).fill('sk-shared'));
    expect(calls()).toBe(1);
  });

  it('caches each secret separately', async () => {
    secretsManager.on(GetSecretValueCommand, { SecretId: secretIds.openai }).resolves({ SecretString: 'sk-openai' });
    secretsManager.on(GetSecretValueCommand, { SecretId: secretIds.anthropic }).resolves({ SecretString: 'sk-ant' });
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 60_000 });
    expect(await Promise.all([resolve('openai'), resolve('anthropic'), resolve('openai')])).toEqual(['sk-openai', 'sk-ant', 'sk-openai']);
    expect(calls()).toBe(2);
  });

  it('serves the stale value during a bounded grace when a refresh fails, then throws', async () => {
    const failures: SecretRefreshFailure[] = [];
    secretsManager.on(GetSecretValueCommand).resolvesOnce({ SecretString: 'sk-old' }).rejects(new Error('ThrottlingException'));
    const clock = manualClock();
    const resolve = createSecretsManagerResolver({
      client, secretIds, ttlMs: 1000, retryAfterFailureMs: 100, now: clock.now, onRefreshError: (failure) => failures.push(failure),
    });
    expect(await resolve('openai')).toBe('sk-old');

    clock.advance(1500);
    expect(await resolve('openai')).toBe('sk-old');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ providerName: 'openai', secretId: secretIds.openai, servedStale: true });

    // Within the retry pause, no new call: an outage must not cost a failing call per request.
    clock.advance(50);
    expect(await resolve('openai')).toBe('sk-old');
    expect(calls()).toBe(2);

    // Default grace is 5 × TTL past expiry: still served at 5.9 s of age, refused at 6 s.
    clock.advance(5900 - 1550);
    expect(await resolve('openai')).toBe('sk-old');
    clock.advance(100);
    await expect(resolve('openai')).rejects.toThrow('ThrottlingException');
    expect(failures.at(-1)?.servedStale).toBe(false);
  });

  it('recovers when Secrets Manager comes back', async () => {
    secretsManager.on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'sk-old' })
      .rejectsOnce(new Error('timeout'))
      .resolves({ SecretString: 'sk-new' });
    const clock = manualClock();
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 1000, retryAfterFailureMs: 100, now: clock.now });
    await resolve('openai');
    clock.advance(1000);
    expect(await resolve('openai')).toBe('sk-old');
    clock.advance(100);
    expect(await resolve('openai')).toBe('sk-new');
  });

  it('throws when the first fetch fails (nothing stale to serve)', async () => {
    secretsManager.on(GetSecretValueCommand).rejects(new ResourceNotFoundException({ message: 'no such secret', $metadata: {} }));
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 1000 });
    await expect(resolve('openai')).rejects.toThrow('no such secret');
  });

  it('refuses an empty secret, naming it but not printing a value', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretString: '  ' });
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 1000 });
    await expect(resolve('openai')).rejects.toThrow(`Secret ${secretIds.openai} has no value.`);
  });

  it('reads a binary secret as UTF-8', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ SecretBinary: new TextEncoder().encode('sk-binary') });
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 1000 });
    expect(await resolve('openai')).toBe('sk-binary');
  });

  it('resolves providers without a secret id to undefined, without a call', async () => {
    const resolve = createSecretsManagerResolver({ client, secretIds, ttlMs: 1000 });
    expect(await resolve('bedrock')).toBeUndefined();
    expect(await resolve('toString')).toBeUndefined();
    expect(calls()).toBe(0);
  });
});
