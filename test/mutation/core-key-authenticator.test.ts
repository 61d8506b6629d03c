import { KeyAuthenticator } from '../../lambda/core/key-authenticator';
import { generateGatewayKey, hashKey } from '../../lambda/keys/gateway-key';
import type { GatewayKeyRecord, KeyStore } from '../../lambda/stores/store';
import { createMemoryTeams } from '../support/memory-entities';
import { createMemoryStores, seedKey } from '../support/memory-stores';

/**
 * Key checks a caller notices: a key valid until a future date works, one at or past it does not, the
 * cache forgets keys on time and under pressure, and a revocation racing a lookup is not undone.
 */
const T0 = Date.parse('2026-06-01T00:00:00.000Z');

/** A key store whose lookups wait until the test releases them. */
function gatedStore(records: Map<string, GatewayKeyRecord>): { store: KeyStore; lookups: () => number; release: () => void } {
  let lookups = 0;
  let open = (): void => {};
  let gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const store: KeyStore = {
    async getKey(id) {
      lookups += 1;
      // What the store held when the lookup was made: the revocation lands after it.
      const record = records.get(id);
      await gate;
      return record;
    },
    async putKey(record) {
      records.set(record.id, record);
    },
    async revokeKey() {
      return undefined;
    },
    async rotateKey() {
      return undefined;
    },
    async listKeys() {
      return [...records.values()];
    },
  };
  return {
    store,
    lookups: () => lookups,
    release: () => {
      open();
      gate = Promise.resolve();
    },
  };
}

describe('KeyAuthenticator (mutation: expiry, cache, messages)', () => {
  it('accepts a key whose expiry is in the future, up to the last millisecond before it', async () => {
    const stores = createMemoryStores();
    const { key, id } = await seedKey(stores, { expiresAt: new Date(T0 + 60_000).toISOString() });
    let now = T0;
    const auth = new KeyAuthenticator(stores, 0, () => now);
    await expect(auth.authenticate(key)).resolves.toMatchObject({ keyId: id });
    now = T0 + 59_999;
    await expect(auth.authenticate(key)).resolves.toMatchObject({ keyId: id });
    now = T0 + 60_000;
    await expect(auth.authenticate(key)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key', message: 'This gateway API key has expired.' });
  });

  it('says why a key is refused: missing, revoked; and gives nothing away for an unknown key', async () => {
    const stores = createMemoryStores();
    const revoked = await seedKey(stores, { revokedAt: new Date(T0).toISOString() });
    const auth = new KeyAuthenticator(stores, 0);
    await expect(auth.authenticate(undefined)).rejects.toMatchObject({ status: 401, message: 'Missing gateway API key.' });
    await expect(auth.authenticate('')).rejects.toMatchObject({ status: 401, message: 'Missing gateway API key.' });
    await expect(auth.authenticate(revoked.key)).rejects.toMatchObject({ status: 401, message: 'This gateway API key has been revoked.' });
    const unknown = auth.authenticate(generateGatewayKey().key);
    await expect(unknown).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    await expect(unknown).rejects.not.toMatchObject({ message: expect.stringMatching(/revoked|expired|Missing/) });
  });

  it('returns a principal without a user field when the key has none, and no model restriction by default', async () => {
    const stores = createMemoryStores();
    const generated = generateGatewayKey();
    await stores.keys.putKey({ id: generated.id, secretHash: generated.secretHash, teamId: 'team_x', createdAt: new Date(T0).toISOString() });
    const principal = await new KeyAuthenticator(stores, 0).authenticate(generated.key);
    expect(principal).toStrictEqual({ keyId: generated.id, teamId: 'team_x', models: [], teamModels: [] });
  });

  it('re-reads the store exactly when the cache TTL has passed, not a millisecond later', async () => {
    const stores = createMemoryStores();
    const { key } = await seedKey(stores);
    let now = T0;
    const auth = new KeyAuthenticator(stores, 5000, () => now);
    await auth.authenticate(key);
    now = T0 + 4999;
    await auth.authenticate(key);
    expect(stores.keyLookups).toBe(1);
    now = T0 + 5000;
    await auth.authenticate(key);
    expect(stores.keyLookups).toBe(2);
  });

  it('does not cache at all with a TTL of zero', async () => {
    const stores = createMemoryStores();
    const { key } = await seedKey(stores);
    const auth = new KeyAuthenticator(stores, 0, () => T0);
    await auth.authenticate(key);
    await auth.authenticate(key);
    expect(stores.keyLookups).toBe(2);
  });

  it('evicts the oldest entry once 10 000 keys are cached, and keeps the newest', async () => {
    const keys = Array.from({ length: 10_001 }, () => generateGatewayKey());
    const records = new Map<string, GatewayKeyRecord>(keys.map((k) => [k.id, { id: k.id, secretHash: k.secretHash, teamId: 't', createdAt: '2026-01-01T00:00:00.000Z' }]));
    let lookups = 0;
    const store: KeyStore = {
      async getKey(id) {
        lookups += 1;
        return records.get(id);
      },
      async putKey() {},
      async revokeKey() {
        return undefined;
      },
      async rotateKey() {
        return undefined;
      },
      async listKeys() {
        return [];
      },
    };
    const auth = new KeyAuthenticator({ keys: store, teams: createMemoryTeams() }, 60_000, () => T0);
    for (const k of keys.slice(0, 10_000)) await auth.authenticate(k.key);
    expect(lookups).toBe(10_000);
    await auth.authenticate(keys[0]?.key);
    expect(lookups).toBe(10_000);
    // The 10 001st key pushes out the oldest: keys[0].
    await auth.authenticate(keys[10_000]?.key);
    await auth.authenticate(keys[10_000]?.key);
    expect(lookups).toBe(10_001);
    await auth.authenticate(keys[0]?.key);
    expect(lookups).toBe(10_002);
    await auth.authenticate(keys[9_999]?.key);
    expect(lookups).toBe(10_002);
  }, 20_000);

  it('does not cache a lookup that was under way when the key was revoked on this instance', async () => {
    const records = new Map<string, GatewayKeyRecord>();
    const generated = generateGatewayKey();
    records.set(generated.id, { id: generated.id, secretHash: generated.secretHash, teamId: 't', createdAt: '2026-01-01T00:00:00.000Z' });
    const gated = gatedStore(records);
    const auth = new KeyAuthenticator({ keys: gated.store, teams: createMemoryTeams() }, 60_000, () => T0);
    const first = auth.authenticate(generated.key);
    await Promise.resolve();
    // The admin API revokes the key while the lookup is still waiting for the store.
    records.set(generated.id, { ...(records.get(generated.id) as GatewayKeyRecord), revokedAt: '2026-01-01T00:00:01.000Z' });
    auth.invalidate(generated.id);
    gated.release();
    await expect(first).resolves.toBeDefined();
    await expect(auth.authenticate(generated.key)).rejects.toThrow(/revoked/);
    expect(gated.lookups()).toBe(2);
  });

  it('retries the store after a failed lookup instead of repeating the failure', async () => {
    const stores = createMemoryStores();
    const { key, id } = await seedKey(stores);
    let failures = 1;
    const flaky: KeyStore = {
      ...stores.keys,
      async getKey(keyId) {
        if (failures > 0) {
          failures -= 1;
          throw new Error('store unavailable');
        }
        return stores.keys.getKey(keyId);
      },
    };
    const auth = new KeyAuthenticator({ keys: flaky, teams: stores.teams }, 60_000, () => T0);
    await expect(auth.authenticate(key)).rejects.toThrow('store unavailable');
    await expect(auth.authenticate(key)).resolves.toMatchObject({ keyId: id });
  });
});

describe('KeyAuthenticator (mutation: rotation grace)', () => {
  it('accepts the previous secret only while a grace end is recorded and ahead', async () => {
    const stores = createMemoryStores();
    const old = await seedKey(stores);
    const record = await stores.keys.getKey(old.id);
    if (record === undefined) throw new Error('seeded key is missing');
    const rotated = { ...record, secretHash: generateGatewayKey().secretHash, previousSecretHash: hashKey(old.key) };
    const auth = new KeyAuthenticator(stores, 0, () => T0);
    await stores.keys.putKey({ ...rotated, previousSecretExpiresAt: new Date(T0 + 1000).toISOString() });
    await expect(auth.authenticate(old.key)).resolves.toMatchObject({ keyId: old.id });
    // A record with a previous hash but no grace end: the previous secret is not accepted.
    await stores.keys.putKey(rotated);
    await expect(auth.authenticate(old.key)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
    // A grace end with no previous hash accepts nothing but the current secret.
    await stores.keys.putKey({ ...record, secretHash: rotated.secretHash, previousSecretExpiresAt: new Date(T0 + 1000).toISOString() });
    await expect(auth.authenticate(old.key)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });
});
