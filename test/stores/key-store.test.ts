import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { GatewayKeyRecord } from '../../lambda/stores/store';
import { useDynamo } from './dynamo-fixture';

function key(id: string, teamId: string, createdAt: string, extra: Partial<GatewayKeyRecord> = {}): GatewayKeyRecord {
  return { id, secretHash: `hash-${id}`, teamId, createdAt, ...extra };
}

describe('DynamoDB key store', () => {
  const dynamo = useDynamo();
  const keys = () => dynamo().stores.keys;

  beforeAll(async () => {
    // Neighbours in the same table that a key listing must never return.
    await dynamo().stores.teams.createTeam({ id: 'team-a', name: 'A', createdAt: '2026-01-01T00:00:00.000Z' });
    await dynamo().stores.usage.putUsages([{
      requestId: 'r1', time: new Date().toISOString(), keyId: 'k1', teamId: 'team-a', requestedModel: 'm',
      operation: 'chat', inputTokens: 1, outputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, usageEstimated: false,
      costUsd: 0.001, latencyMs: 5, httpStatus: 200, status: 'ok', streamed: false,
    }]);
  });

  it('puts and gets a key with every optional field, and one with none', async () => {
    const full = key('k-full', 'team-a', '2026-02-01T00:00:00.000Z', {
      user: 'usr_ada', name: 'laptop', models: ['gpt-4o*', 'claude-*'], expiresAt: '2027-01-01T00:00:00.000Z',
      tags: { env: 'prod', owner: 'data team' }, previousSecretHash: 'hash-old', previousSecretExpiresAt: '2026-02-01T01:00:00.000Z',
      rotatedAt: '2026-02-01T00:30:00.000Z',
    });
    const bare = key('k-bare', 'team-a', '2026-02-02T00:00:00.000Z');
    await keys().putKey(full);
    await keys().putKey(bare);

    expect(await keys().getKey('k-full')).toStrictEqual(full);
    // toStrictEqual: absent optionals stay absent rather than coming back as `undefined` keys.
    expect(await keys().getKey('k-bare')).toStrictEqual(bare);
    expect(await keys().getKey('k-unknown')).toBeUndefined();
  });

  it('keeps an empty model list as an empty list', async () => {
    await keys().putKey(key('k-empty-models', 'team-e', '2026-02-03T00:00:00.000Z', { models: [] }));
    expect((await keys().getKey('k-empty-models'))?.models).toEqual([]);
  });

  it('lists a team\'s keys oldest first, and all keys without a team', async () => {
    await keys().putKey(key('k-b2', 'team-b', '2026-03-02T00:00:00.000Z'));
    await keys().putKey(key('k-b1', 'team-b', '2026-03-01T00:00:00.000Z'));
    await keys().putKey(key('k-c1', 'team-c', '2026-03-03T00:00:00.000Z'));

    expect((await keys().listKeys('team-b')).map((record) => record.id)).toEqual(['k-b1', 'k-b2']);
    expect(await keys().listKeys('team-nobody')).toEqual([]);

    const all = await keys().listKeys();
    expect(all.map((record) => record.id)).toEqual(['k-full', 'k-bare', 'k-empty-models', 'k-b1', 'k-b2', 'k-c1']);
  });

  it('revokes a key once: the first revokedAt is kept', async () => {
    await keys().putKey(key('k-revoke', 'team-d', '2026-04-01T00:00:00.000Z', { name: 'ci' }));

    const first = await keys().revokeKey('k-revoke', '2026-04-02T00:00:00.000Z');
    expect(first).toStrictEqual(key('k-revoke', 'team-d', '2026-04-01T00:00:00.000Z', {
      name: 'ci', revokedAt: '2026-04-02T00:00:00.000Z',
    }));
    const second = await keys().revokeKey('k-revoke', '2026-04-09T00:00:00.000Z');
    expect(second?.revokedAt).toBe('2026-04-02T00:00:00.000Z');
    expect((await keys().getKey('k-revoke'))?.revokedAt).toBe('2026-04-02T00:00:00.000Z');
  });

  it('returns undefined when revoking an unknown key and creates no item', async () => {
    expect(await keys().revokeKey('k-ghost', '2026-04-02T00:00:00.000Z')).toBeUndefined();
    const { Items: items } = await dynamo().client.send(new ScanCommand({
      TableName: dynamo().tableName,
      FilterExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':pk': { S: 'KEY#k-ghost' } },
    }));
    expect(items).toEqual([]);
  });

  it('stores tags as a native map, readable in the console and in exports', async () => {
    await keys().putKey(key('k-tags', 'team-t', '2026-05-01T00:00:00.000Z', { tags: { env: 'prod' } }));
    const { Items: items } = await dynamo().client.send(new ScanCommand({
      TableName: dynamo().tableName,
      FilterExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': 'pk' },
      ExpressionAttributeValues: { ':pk': { S: 'KEY#k-tags' } },
    }));
    expect(items?.[0]?.tags).toEqual({ M: { env: { S: 'prod' } } });
  });

  it('creates no item when rotating an unknown key', async () => {
    expect(await keys().rotateKey('k-ghost-rotate', { secretHash: 'n', previousSecretHash: 'o', previousSecretExpiresAt: '2026-01-01T00:00:00.000Z', rotatedAt: '2026-01-01T00:00:00.000Z' })).toBeUndefined();
    expect(await keys().getKey('k-ghost-rotate')).toBeUndefined();
  });
});
