import { KeyAuthenticator } from '../../lambda/core/key-authenticator';
import { InvalidApiKeyError } from '../../lambda/errors/gateway-error';
import { generateGatewayKey } from '../../lambda/keys/gateway-key';
import type { Team, TeamStore } from '../../lambda/stores/store';
import { createMemoryStores, seedKey } from '../support/memory-stores';

const T0 = Date.parse('2026-06-01T00:00:00.000Z');

/** A team store that counts getTeam calls. */
function countingTeams(teams: TeamStore): TeamStore & { lookups: number } {
  const counted = {
    ...teams,
    lookups: 0,
    async getTeam(id: string): Promise<Team | undefined> {
      counted.lookups += 1;
      return teams.getTeam(id);
    },
  };
  return counted;
}

describe('KeyAuthenticator', () => {
  it('resolves a valid key to its principal, with its owner and its team\'s models', async () => {
    const stores = createMemoryStores();
    await stores.teams.createTeam({ id: 'team_test', name: 'test', createdAt: new Date(T0).toISOString(), models: ['gpt-4o*'] });
    const { key, id } = await seedKey(stores, { models: ['gpt-*'] });
    const principal = await new KeyAuthenticator(stores, 5000).authenticate(key);
    expect(principal).toEqual({ keyId: id, teamId: 'team_test', user: 'alice@example.com', models: ['gpt-*'], teamModels: ['gpt-4o*'] });
  });

  it('gives a key whose team does not exist no team restriction', async () => {
    const stores = createMemoryStores();
    const { key } = await seedKey(stores, { teamId: 'team_gone' });
    expect((await new KeyAuthenticator(stores, 5000).authenticate(key)).teamModels).toEqual([]);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['malformed', 'sk-not-a-gateway-key'],
    ['unknown', generateGatewayKey().key],
  ])('rejects a %s key with invalid_api_key', async (_label, credential) => {
    const stores = createMemoryStores();
    await expect(new KeyAuthenticator(stores, 5000).authenticate(credential)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('does not touch the store for a malformed key', async () => {
    const stores = createMemoryStores();
    await expect(new KeyAuthenticator(stores, 5000).authenticate('gllm_nope')).rejects.toBeInstanceOf(InvalidApiKeyError);
    expect(stores.keyLookups).toBe(0);
  });

  it('rejects a key whose id exists but whose secret hash differs', async () => {
    const stores = createMemoryStores();
    const { key, id } = await seedKey(stores);
    await stores.keys.putKey({ id, secretHash: generateGatewayKey().secretHash, teamId: 't', createdAt: new Date().toISOString() });
    await expect(new KeyAuthenticator(stores, 0).authenticate(key)).rejects.toMatchObject({ code: 'invalid_api_key' });
  });

  it('rejects expired and revoked keys', async () => {
    const stores = createMemoryStores();
    const expired = await seedKey(stores, { expiresAt: new Date(Date.now() - 1000).toISOString() });
    const revoked = await seedKey(stores, { revokedAt: new Date().toISOString() });
    const auth = new KeyAuthenticator(stores, 5000);
    await expect(auth.authenticate(expired.key)).rejects.toThrow(/expired/);
    await expect(auth.authenticate(revoked.key)).rejects.toThrow(/revoked/);
  });

  it('accepts the secret from before a rotation until its grace period ends, and the new one throughout', async () => {
    const stores = createMemoryStores();
    const old = await seedKey(stores);
    const record = await stores.keys.getKey(old.id);
    // A second secret for the same id: what rotation stores.
    const other = await seedKey(stores);
    const otherRecord = await stores.keys.getKey(other.id);
    if (record === undefined || otherRecord === undefined) throw new Error('seeded keys are missing');
    await stores.keys.putKey({ ...record, secretHash: otherRecord.secretHash, previousSecretHash: record.secretHash, previousSecretExpiresAt: new Date(T0 + 60_000).toISOString() });
    let now = T0;
    const auth = new KeyAuthenticator(stores, 0, () => now);
    await expect(auth.authenticate(old.key)).resolves.toMatchObject({ keyId: old.id });
    now = T0 + 59_999;
    await expect(auth.authenticate(old.key)).resolves.toMatchObject({ keyId: old.id });
    now = T0 + 60_000;
    await expect(auth.authenticate(old.key)).rejects.toMatchObject({ status: 401, code: 'invalid_api_key' });
  });

  it('caches key and team lookups within the TTL and re-reads both after it', async () => {
    const stores = createMemoryStores();
    const teams = countingTeams(stores.teams);
    const { key } = await seedKey(stores);
    let now = 1_000_000;
    const auth = new KeyAuthenticator({ keys: stores.keys, teams }, 5000, () => now);
    await auth.authenticate(key);
    await auth.authenticate(key);
    expect([stores.keyLookups, teams.lookups]).toEqual([1, 1]);
    now += 5001;
    await auth.authenticate(key);
    expect([stores.keyLookups, teams.lookups]).toEqual([2, 2]);
  });

  it('makes one key and one team store call for a burst of requests with the same uncached key', async () => {
    const stores = createMemoryStores();
    const teams = countingTeams(stores.teams);
    const { key } = await seedKey(stores);
    const auth = new KeyAuthenticator({ keys: stores.keys, teams }, 5000);
    await Promise.all(Array.from({ length: 20 }, () => auth.authenticate(key)));
    expect([stores.keyLookups, teams.lookups]).toEqual([1, 1]);
  });

  it('applies a team\'s new models at once when invalidated, and within the TTL otherwise', async () => {
    const stores = createMemoryStores();
    await stores.teams.createTeam({ id: 'team_test', name: 'test', createdAt: new Date(T0).toISOString() });
    const { key } = await seedKey(stores);
    let now = T0;
    const auth = new KeyAuthenticator(stores, 5000, () => now);
    expect((await auth.authenticate(key)).teamModels).toEqual([]);
    await stores.teams.setTeamModels('team_test', ['claude-*']);
    expect((await auth.authenticate(key)).teamModels).toEqual([]);
    auth.invalidateTeam('team_test');
    expect((await auth.authenticate(key)).teamModels).toEqual(['claude-*']);
    await stores.teams.setTeamModels('team_test', undefined);
    now += 5000;
    expect((await auth.authenticate(key)).teamModels).toEqual([]);
  });

  it('stops accepting a revoked key at once when invalidated, and within the TTL otherwise', async () => {
    const stores = createMemoryStores();
    const { key, id } = await seedKey(stores);
    let now = 1_000_000;
    const auth = new KeyAuthenticator(stores, 5000, () => now);
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

  it('re-reads an expired key and its team in one parallel round, not one after the other', async () => {
    const stores = createMemoryStores();
    await stores.teams.createTeam({ id: 'team_test', name: 'test', createdAt: new Date(T0).toISOString(), models: ['gpt-*'] });
    const { key } = await seedKey(stores);
    const teams = countingTeams(stores.teams);
    let releaseKey = (): void => {};
    let gated = false;
    const keys = {
      ...stores.keys,
      async getKey(id: string) {
        if (gated) await new Promise<void>((resolve) => { releaseKey = resolve; });
        return stores.keys.getKey(id);
      },
    };
    let now = T0;
    const auth = new KeyAuthenticator({ keys, teams }, 5000, () => now);
    await auth.authenticate(key);
    now += 5000;
    gated = true;
    const refreshed = auth.authenticate(key);
    await new Promise((resolve) => setImmediate(resolve));
    // The key read is still waiting, yet the team read has already been made.
    expect(teams.lookups).toBe(2);
    releaseKey();
    expect((await refreshed).teamModels).toEqual(['gpt-*']);
    expect(teams.lookups).toBe(2);
  });
});
