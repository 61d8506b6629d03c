import { KeyAuthenticator } from '../../lambda/core/key-authenticator';
import { InvalidApiKeyError } from '../../lambda/errors/gateway-error';
import { generateGatewayKey } from '../../lambda/keys/gateway-key';
import { createMemoryStores, seedKey } from '../support/memory-stores';

describe('KeyAuthenticator', () => {
  it('resolves a valid key to its principal', async () => {
    const stores = createMemoryStores();
    const { key, id } = await seedKey(stores, { models: ['gpt-*'] });
    const principal = await new KeyAuthenticator(stores.keys, 5000).authenticate(key);
    expect(principal).toEqual({ keyId: id, teamId: 'team_test', user: 'alice@example.com', models: ['gpt-*'] });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['malformed', 'sk-not-a-gateway-key'],
    ['unknown', generateGatewayKey().key],
  ])('rejects a %s key with invalid_api_key', async (_label, credential) => {
    const stores = createMemoryStores();
    await expect(new KeyAuthenticator(stores.keys, 5000).authenticate(credential)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('does not touch the store for a malformed key', async () => {
    const stores = createMemoryStores();
    await expect(new KeyAuthenticator(stores.keys, 5000).authenticate('gllm_nope')).rejects.toBeInstanceOf(InvalidApiKeyError);
    expect(stores.keyLookups).toBe(0);
  });

  it('rejects a key whose id exists but whose secret hash differs', async () => {
    const stores = createMemoryStores();
    const { key, id } = await seedKey(stores);
    await stores.keys.putKey({ id, secretHash: generateGatewayKey().secretHash, teamId: 't', createdAt: new Date().toISOString() });
    await expect(new KeyAuthenticator(stores.keys, 0).authenticate(key)).rejects.toMatchObject({ code: 'invalid_api_key' });
  });

  it('rejects expired and revoked keys', async () => {
    const stores = createMemoryStores();
    const expired = await seedKey(stores, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const revoked = await seedKey(stores, { revokedAt: new Date().toISOString() });
    const auth = new KeyAuthenticator(stores.keys, 5000);
    await expect(auth.authenticate(expired.key)).rejects.toThrow(/expired/);
    await expect(auth.authenticate(revoked.key)).rejects.toThrow(/revoked/);
  });

  it('caches lookups within the TTL and re-reads after it', async () => {
    const stores = createMemoryStores();
    const { key } = await seedKey(stores);
    let now = 1_000_000;
    const auth = new KeyAuthenticator(stores.keys, 5000, () => now);
    await auth.authenticate(key);
    await auth.authenticate(key);
    expect(stores.keyLookups).toBe(1);
    now += 5001;
    await auth.authenticate(key);
    expect(stores.keyLookups).toBe(2);
  });

  it('makes one store call for a burst of requests with the same uncached key', async () => {
    const stores = createMemoryStores();
    const { key } = await seedKey(stores);
    const auth = new KeyAuthenticator(stores.keys, 5000);
    await Promise.all(Array.from({ length: 20 }, () => auth.authenticate(key)));
    expect(stores.keyLookups).toBe(1);
  });

  it('stops accepting a revoked key at once when invalidated, and within the TTL otherwise', async () => {
    const stores = createMemoryStores();
    const { key, id } = await seedKey(stores);
    let now = 1_000_000;
    const auth = new KeyAuthenticator(stores.keys, 5000, () => now);
    await auth.authenticate(key);
    await stores.keys.revokeKey(id, new Date().toISOString());
    await expect(auth.authenticate(key)).resolves.toBeDefined();
    auth.invalidate(id);
    await expect(auth.authenticate(key)).rejects.toThrow(/revoked/);
    const second = await seedKey(stores);
    await auth.authenticate(second.key);
    await stores.keys.revokeKey(second.id, new Date().toISOString());
    now += 5001;
    await expect(auth.authenticate(second.key)).rejects.toThrow(/revoked/);
  });
});
