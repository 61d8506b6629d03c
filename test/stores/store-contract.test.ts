import { ConflictError } from '../../lambda/errors/gateway-error';
import type { GatewayStores, UsageRecord } from '../../lambda/stores/store';
import { createMemoryStores } from '../support/memory-stores';
import { useDynamo } from './dynamo-fixture';

/**
 * The same assertions against the in-memory stores (used by the core's unit tests) and the DynamoDB
 * stores (used in production): where the two disagree, unit tests pass on behaviour users never see.
 */
const NOW = Date.parse('2026-04-02T10:00:00.000Z');

function usage(index: number, extra: Partial<UsageRecord> = {}): UsageRecord {
  return {
    requestId: `req-${String(index).padStart(3, '0')}`, time: new Date(NOW - index * 60_000).toISOString(),
    keyId: `key-${index % 3}`, teamId: index % 2 === 0 ? 'team-even' : 'team-odd', requestedModel: index % 4 === 0 ? 'm-a' : 'm-b',
    operation: 'chat.completions', inputTokens: index, outputTokens: 1, cachedTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0,
    usageEstimated: false, costUsd: 0.001, latencyMs: 10, httpStatus: 200, status: 'ok', streamed: false, ...extra,
  };
}

const range = { from: new Date(NOW - 86_400_000).toISOString(), to: new Date(NOW + 1).toISOString() };
const ids = (records: readonly UsageRecord[]): string[] => records.map((record) => record.requestId);

function contract(name: string, open: () => GatewayStores): void {
  describe(`store contract: ${name}`, () => {
    it('keeps team names unique regardless of case and finds a team by any casing of its name', async () => {
      const stores = open();
      await stores.teams.createTeam({ id: `team_${name}_1`, name: `Research-${name}`, createdAt: new Date(NOW).toISOString() });
      await expect(stores.teams.createTeam({ id: `team_${name}_2`, name: `research-${name.toUpperCase()}`, createdAt: new Date(NOW).toISOString() }))
        .rejects.toBeInstanceOf(ConflictError);
      expect((await stores.teams.getTeamByName(`RESEARCH-${name}`))?.id).toBe(`team_${name}_1`);
      expect(await stores.teams.getTeamByName(`nobody-${name}`)).toBeUndefined();
    });

    it('filters usage by team, key and model, newest first, up to the limit', async () => {
      const stores = open();
      // Written oldest first and in two calls, so order comes from the store, not from insertion.
      const records = Array.from({ length: 12 }, (_, i) => usage(12 - i));
      await stores.usage.putUsages(records.slice(0, 6));
      await stores.usage.putUsages(records.slice(6));

      expect(ids(await stores.usage.queryUsage(range))).toEqual(ids([...records].reverse()));
      expect(ids(await stores.usage.queryUsage({ ...range, limit: 3 }))).toEqual(['req-001', 'req-002', 'req-003']);
      expect(ids(await stores.usage.queryUsage({ ...range, teamId: 'team-even' }))).toEqual(['req-002', 'req-004', 'req-006', 'req-008', 'req-010', 'req-012']);
      expect(ids(await stores.usage.queryUsage({ ...range, keyId: 'key-0', model: 'm-a' }))).toEqual(['req-012']);
      expect(ids(await stores.usage.queryUsage({ ...range, teamId: 'TEAM-EVEN' }))).toEqual([]);
      const rows = await stores.usage.aggregateUsage({ ...range, teamId: 'team-odd', limit: 1 }, ['team']);
      expect(rows).toEqual([expect.objectContaining({ team: 'team-odd', requests: 6 })]);
    });
  });
}

contract('memory', createMemoryStores);

describe('with DynamoDB', () => {
  const dynamo = useDynamo();
  contract('dynamo', () => dynamo().storesWith({ now: () => NOW, usageShards: 3 }));
});
