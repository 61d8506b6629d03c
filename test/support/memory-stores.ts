import { ConflictError } from '../../lambda/errors/gateway-error';
import { generateGatewayKey } from '../../lambda/keys/gateway-key';
import { createUsageAggregator } from '../../lambda/stores/dynamo/usage-aggregate';
import type {
  GatewayKeyRecord, GatewayStores, Team, UsageAggregateRow, UsageGroupField, UsageQuery, UsageRecord,
} from '../../lambda/stores/store';

/** In-memory stores for fast unit tests of the core; integration tests use the DynamoDB implementation. */
export interface MemoryStores extends GatewayStores {
  readonly usageRecords: UsageRecord[];
  keyLookups: number;
}

export function createMemoryStores(): MemoryStores {
  const keys = new Map<string, GatewayKeyRecord>();
  const teams = new Map<string, Team>();
  const usageRecords: UsageRecord[] = [];
  const stores: MemoryStores = {
    usageRecords,
    keyLookups: 0,
    keys: {
      async getKey(id) {
        stores.keyLookups += 1;
        return keys.get(id);
      },
      async putKey(record) {
        keys.set(record.id, record);
      },
      async revokeKey(id, revokedAt) {
        const record = keys.get(id);
        if (record === undefined) return undefined;
        const updated = { ...record, revokedAt: record.revokedAt ?? revokedAt };
        keys.set(id, updated);
        return updated;
      },
      async listKeys(teamId) {
        return [...keys.values()].filter((key) => teamId === undefined || key.teamId === teamId);
      },
    },
    teams: {
      async createTeam(team) {
        if ([...teams.values()].some((existing) => existing.name === team.name)) throw new ConflictError(`Team '${team.name}' exists.`);
        teams.set(team.id, team);
      },
      async getTeam(id) {
        return teams.get(id);
      },
      async listTeams() {
        return [...teams.values()];
      },
    },
    usage: {
      async putUsages(records) {
        usageRecords.push(...records);
      },
      async queryUsage(query: UsageQuery) {
        return usageRecords.filter((record) => record.time >= query.from && record.time < query.to).reverse();
      },
      async aggregateUsage(query: UsageQuery, groupBy: readonly UsageGroupField[]): Promise<UsageAggregateRow[]> {
        const aggregator = createUsageAggregator(groupBy);
        for (const record of await stores.usage.queryUsage(query)) aggregator.add(record);
        return aggregator.rows();
      },
    },
  };
  return stores;
}

/** Puts a team and a key into the stores; returns the plaintext key. */
export async function seedKey(stores: GatewayStores, overrides: Partial<GatewayKeyRecord> = {}): Promise<{ key: string; id: string }> {
  const generated = generateGatewayKey();
  await stores.keys.putKey({
    id: generated.id, secretHash: generated.secretHash, teamId: 'team_test', user: 'alice@example.com',
    createdAt: new Date().toISOString(), ...overrides,
  });
  return { key: generated.key, id: generated.id };
}
